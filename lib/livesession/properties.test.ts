import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { checkProperties, propertyType } from "./properties";

function fixtureProperties(name: string): Record<string, unknown> {
  const delivery = JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as {
    payload: { properties: Record<string, unknown> };
  };
  return delivery.payload.properties;
}

describe("propertyType", () => {
  it("reads the type from the key's suffix", () => {
    expect(propertyType("product_name_str")).toBe("str");
    expect(propertyType("product_id_int")).toBe("int");
    expect(propertyType("price_float")).toBe("float");
    expect(propertyType("in_stock_bool")).toBe("bool");
  });

  it("is null for keys without a known suffix", () => {
    expect(propertyType("product")).toBeNull();
    expect(propertyType("product_string")).toBeNull();
    expect(propertyType("product_str_name")).toBeNull();
    expect(propertyType("productstr")).toBeNull();
    expect(propertyType("")).toBeNull();
  });

  it("is null for Object.prototype member names", () => {
    expect(propertyType("__proto__")).toBeNull();
    expect(propertyType("constructor")).toBeNull();
    expect(propertyType("toString")).toBeNull();
    expect(propertyType("hasOwnProperty")).toBeNull();
  });
});

describe("checkProperties", () => {
  afterEach(() => {
    // Undo any pollution so one failure cannot leak into other tests.
    delete (Object.prototype as Record<string, unknown>).polluted_str;
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it("finds no problems in the docs' Custom example", () => {
    expect(checkProperties(fixtureProperties("custom.json"))).toEqual([]);
  });

  it("accepts values matching their suffix", () => {
    expect(
      checkProperties({ a_str: "x", empty_str: "", b_int: 42, neg_int: -3, c_float: 1.5, d_bool: false, e_bool: true }),
    ).toEqual([]);
  });

  it("accepts an int value for a _float key", () => {
    expect(checkProperties({ price_float: 3 })).toEqual([]);
  });

  it("reports 1.5 for an _int key as a type_mismatch with actual float", () => {
    expect(checkProperties({ qty_int: 1.5 })).toEqual([
      { key: "qty_int", problem: "type_mismatch", expected: "int", actual: "float" },
    ]);
  });

  it("reports values of the wrong primitive type", () => {
    expect(checkProperties({ a_str: 1, b_int: "1", c_float: "1.5", d_bool: "true", e_str: true })).toEqual([
      { key: "a_str", problem: "type_mismatch", expected: "str", actual: "int" },
      { key: "b_int", problem: "type_mismatch", expected: "int", actual: "string" },
      { key: "c_float", problem: "type_mismatch", expected: "float", actual: "string" },
      { key: "d_bool", problem: "type_mismatch", expected: "bool", actual: "string" },
      { key: "e_str", problem: "type_mismatch", expected: "str", actual: "boolean" },
    ]);
  });

  it("names null, array and object values as such", () => {
    expect(checkProperties({ a_str: null, b_int: [1, 2], c_bool: { x: true }, d_float: null })).toEqual([
      { key: "a_str", problem: "type_mismatch", expected: "str", actual: "null" },
      { key: "b_int", problem: "type_mismatch", expected: "int", actual: "array" },
      { key: "c_bool", problem: "type_mismatch", expected: "bool", actual: "object" },
      { key: "d_float", problem: "type_mismatch", expected: "float", actual: "null" },
    ]);
  });

  it("reports an unsuffixed key whatever its value", () => {
    expect(checkProperties({ plan: "pro", count: 3, tags: ["a"], meta: null })).toEqual([
      { key: "plan", problem: "unsuffixed" },
      { key: "count", problem: "unsuffixed" },
      { key: "tags", problem: "unsuffixed" },
      { key: "meta", problem: "unsuffixed" },
    ]);
  });

  it("reports every problem and leaves the good keys alone", () => {
    expect(checkProperties({ ok_str: "x", bad_int: 2.25, plain: 1, ok_bool: true })).toEqual([
      { key: "bad_int", problem: "type_mismatch", expected: "int", actual: "float" },
      { key: "plain", problem: "unsuffixed" },
    ]);
  });

  it("is empty for no properties", () => {
    expect(checkProperties({})).toEqual([]);
  });

  it("treats __proto__ and constructor keys (as JSON.parse produces them) as normal unsuffixed keys", () => {
    const properties = JSON.parse('{"__proto__": {"polluted_str": 1}, "constructor": {"polluted": 1}}') as Record<
      string,
      unknown
    >;
    expect(checkProperties(properties)).toEqual([
      { key: "__proto__", problem: "unsuffixed" },
      { key: "constructor", problem: "unsuffixed" },
    ]);
    expect(({} as Record<string, unknown>).polluted_str).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted_str");
  });

  it("checks suffixed keys that start like Object.prototype members by their suffix", () => {
    const properties = JSON.parse('{"__proto___str": 5, "constructor_int": 1, "toString_bool": "no"}') as Record<
      string,
      unknown
    >;
    expect(checkProperties(properties)).toEqual([
      { key: "__proto___str", problem: "type_mismatch", expected: "str", actual: "int" },
      { key: "toString_bool", problem: "type_mismatch", expected: "bool", actual: "string" },
    ]);
    expect(({} as Record<string, unknown>).polluted_str).toBeUndefined();
  });
});
