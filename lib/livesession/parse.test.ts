import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { parseDelivery, type ParsedEvent } from "./parse";

type Json = Record<string, unknown>;
type Fixture = "js-error" | "net-error" | "error-click" | "rage-click" | "custom";

const FIXTURE_TIME = "2023-08-04T15:11:21.000Z";
const RECEIVED_AT = new Date("2025-06-01T12:00:00.000Z");

function fixtureRaw(name: Fixture): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");
}

/** A fresh, mutable copy of a fixture. */
function fixture(name: Fixture): Json & { payload: Json & { visitor: Json } } {
  return JSON.parse(fixtureRaw(name)) as Json & { payload: Json & { visitor: Json } };
}

function parse(delivery: unknown, receivedAt = RECEIVED_AT): ParsedEvent {
  return parseDelivery(JSON.stringify(delivery), receivedAt);
}

/** Runs `fn`, which must throw an ApiError, and returns it. */
function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected an ApiError, nothing was thrown");
}

function detailPaths(error: ApiError): string[] {
  expect(Array.isArray(error.details)).toBe(true);
  return (error.details as { path: string }[]).map((d) => d.path);
}

function expectInvalidPayload(fn: () => unknown): ApiError {
  const error = apiError(fn);
  expect(error.code).toBe("invalid_payload");
  expect(error.status).toBe(400);
  return error;
}

function nested(levels: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = { n: value };
  return value;
}

describe("parseDelivery: the docs' five examples", () => {
  it("parses JSError value and count", () => {
    expect(parseDelivery(fixtureRaw("js-error"), RECEIVED_AT).fields).toEqual({
      kind: "JSError",
      message: "ProductCatalog: product is not valid",
      count: 1,
    });
  });

  it("parses NetError method, url and status", () => {
    expect(parseDelivery(fixtureRaw("net-error"), RECEIVED_AT).fields).toEqual({
      kind: "NetError",
      method: "GET",
      url: "https://api.livesession.io/products/1",
      status: 500,
    });
  });

  it("parses ErrorClick's message from the docs' misspelled `messsage` key", () => {
    expect(parseDelivery(fixtureRaw("error-click"), RECEIVED_AT).fields).toEqual({
      kind: "ErrorClick",
      message: "product is not defined",
    });
  });

  it("parses ErrorClick's message from a `message` key", () => {
    const delivery = fixture("error-click");
    delete delivery.payload.messsage;
    delivery.payload.message = "cart is not defined";
    expect(parse(delivery).fields).toEqual({ kind: "ErrorClick", message: "cart is not defined" });
  });

  it("parses RageClick clicks", () => {
    expect(parseDelivery(fixtureRaw("rage-click"), RECEIVED_AT).fields).toEqual({ kind: "RageClick", clicks: 5 });
  });

  it("parses Custom name and properties, with no property errors", () => {
    expect(parseDelivery(fixtureRaw("custom"), RECEIVED_AT).fields).toEqual({
      kind: "Custom",
      name: "Product added",
      properties: { product_id_int: 1, product_name_str: "Product 1" },
      propertyErrors: [],
    });
  });

  it("reports Custom property problems without dropping the properties", () => {
    const delivery = fixture("custom");
    delivery.payload.properties = { qty_int: 1.5, plan: "pro", ok_str: "x" };
    expect(parse(delivery).fields).toEqual({
      kind: "Custom",
      name: "Product added",
      properties: { qty_int: 1.5, plan: "pro", ok_str: "x" },
      propertyErrors: [
        { key: "qty_int", problem: "type_mismatch", expected: "int", actual: "float" },
        { key: "plan", problem: "unsuffixed" },
      ],
    });
  });

  it.each(["js-error", "net-error", "error-click", "rage-click", "custom"] as const)(
    "%s: occurs at 2023-08-04T15:11:21.000Z, maps the envelope and visitor, keeps raw",
    (name) => {
      const raw = fixtureRaw(name);
      const event = parseDelivery(raw, RECEIVED_AT);
      expect(event.occurredAt.toISOString()).toBe(FIXTURE_TIME);
      expect(event.createdAt?.toISOString()).toBe(FIXTURE_TIME);
      expect(event.timeRaw).toBe(16_911_618_810);
      expect(event.messageId).toBe("d5932de4-a8da-4546-4439-3c640ba8dc05");
      expect(event.webhookId).toBe("542de45");
      expect(event.webhookType).toBe("session.event");
      expect(event.apiVersion).toBe("v1.0");
      expect(event.accountId).toBe("3ca3b1b");
      expect(event.websiteId).toBe("8d53ea3");
      expect(event.visitor).toEqual({
        id: "e4d5932d-4439-4546-a8da-a8d40bc053c6",
        name: "John Doe",
        email: "john.doe@livesession.io",
        params: [{ name: "plan", value: "pro" }],
        countryCode: "PL",
        city: "Wroclaw",
        region: "Dolnoslaskie",
      });
      expect(event.raw).toBe(raw);
    },
  );
});

describe("parseDelivery: tolerance", () => {
  it("parses an unknown event_name with extra fields to just its kind", () => {
    const delivery = fixture("js-error");
    delivery.payload = { ...delivery.payload, event_name: "PageCrash", value: undefined, reason: "oom", extra: { a: [1, 2] } };
    const event = parse(delivery);
    expect(event.fields).toEqual({ kind: "PageCrash" });
    expect(event.occurredAt.toISOString()).toBe(FIXTURE_TIME);
  });

  it("keeps `raw` byte-for-byte, whitespace and key order included", () => {
    const raw = `  ${JSON.stringify(fixture("rage-click"), null, 3)}\n`;
    expect(parseDelivery(raw, RECEIVED_AT).raw).toBe(raw);
  });

  it("maps missing optional visitor fields and geolocation to null / []", () => {
    const delivery = fixture("js-error");
    delivery.payload.visitor = { id: "v-1" };
    expect(parse(delivery).visitor).toEqual({
      id: "v-1",
      name: null,
      email: null,
      params: [],
      countryCode: null,
      city: null,
      region: null,
    });
  });

  it("keeps HTML and script strings verbatim", () => {
    const html = `<script>alert("x")</script><img src=x onerror='alert(1)'>&amp;`;
    const delivery = fixture("js-error");
    delivery.payload.value = html;
    delivery.payload.visitor.name = html;
    const event = parse(delivery);
    expect(event.fields).toEqual({ kind: "JSError", message: html, count: 1 });
    expect(event.visitor.name).toBe(html);

    const click = fixture("error-click");
    click.payload.messsage = html;
    expect(parse(click).fields).toEqual({ kind: "ErrorClick", message: html });
  });

  // Custom properties are "kept, and the ones that break the convention reported"; `__proto__` is a normal key.
  const protoRaw = () =>
    JSON.stringify(fixture("custom")).replace(
      '"properties":{',
      '"properties":{"__proto__":{"polluted_str":1},"constructor":"c",',
    );

  it("reports a Custom property named __proto__ (or constructor) as unsuffixed, without pollution", () => {
    const raw = protoRaw();
    expect(raw).toContain('"__proto__"');
    const event = parseDelivery(raw, RECEIVED_AT);
    expect(({} as Json).polluted_str).toBeUndefined();
    expect(Object.getPrototypeOf((event.fields as { properties: Json }).properties)).toBe(Object.prototype);
    expect((event.fields as { propertyErrors: unknown[] }).propertyErrors).toEqual([
      { key: "__proto__", problem: "unsuffixed" },
      { key: "constructor", problem: "unsuffixed" },
    ]);
  });

  it("keeps a Custom property named __proto__ as an own property", () => {
    const properties = (parseDelivery(protoRaw(), RECEIVED_AT).fields as { properties: Json }).properties;
    expect(Object.keys(properties)).toEqual(["__proto__", "constructor", "product_id_int", "product_name_str"]);
    expect(Object.getOwnPropertyDescriptor(properties, "__proto__")?.value).toEqual({ polluted_str: 1 });
  });
});

describe("parseDelivery: time", () => {
  it("falls back to receivedAt as the time reference when created_at is missing", () => {
    const delivery = fixture("js-error");
    delete delivery.created_at;
    const event = parse(delivery); // time 16911618810 is two years from RECEIVED_AT in every unit
    expect(event.createdAt).toBeNull();
    expect(event.occurredAt.toISOString()).toBe(RECEIVED_AT.toISOString());
  });

  it("reads time against receivedAt when created_at is missing", () => {
    const delivery = fixture("js-error");
    delete delivery.created_at;
    const receivedAt = new Date("2023-08-04T15:20:00.000Z");
    expect(parse(delivery, receivedAt).occurredAt.toISOString()).toBe(FIXTURE_TIME);
  });

  it("uses created_at when time is missing", () => {
    const delivery = fixture("net-error");
    delete delivery.payload.time;
    const event = parse(delivery);
    expect(event.timeRaw).toBeNull();
    expect(event.occurredAt.toISOString()).toBe(FIXTURE_TIME);
  });

  it("keeps millisecond precision of a time in milliseconds", () => {
    const delivery = fixture("js-error");
    delivery.payload.time = 1_691_161_881_234;
    expect(parse(delivery).occurredAt.toISOString()).toBe("2023-08-04T15:11:21.234Z");
  });

  it.each([
    ["negative", -1],
    ["after 9999-12-31", 253_402_300_800],
    ["in milliseconds", 1_691_161_881_000],
  ])("rejects created_at out of range (%s)", (_label, createdAt) => {
    const delivery = fixture("js-error");
    delivery.created_at = createdAt;
    const error = expectInvalidPayload(() => parse(delivery));
    expect(detailPaths(error)).toContain("created_at");
  });
});

describe("parseDelivery: rejections", () => {
  it("rejects malformed JSON with invalid_json", () => {
    for (const raw of ["{", "", "not json", '{"message_id": "a",}', fixtureRaw("js-error").slice(0, -3)]) {
      const error = apiError(() => parseDelivery(raw, RECEIVED_AT));
      expect(error.code).toBe("invalid_json");
      expect(error.status).toBe(400);
    }
  });

  it("rejects well-formed JSON that is not a delivery object with invalid_payload", () => {
    for (const raw of ["null", "[]", '"JSError"', "42"]) expectInvalidPayload(() => parseDelivery(raw, RECEIVED_AT));
  });

  it.each([
    ["message_id", (d: ReturnType<typeof fixture>) => delete d.message_id],
    ["website_id", (d: ReturnType<typeof fixture>) => delete d.website_id],
    ["payload.event_name", (d: ReturnType<typeof fixture>) => delete d.payload.event_name],
    ["payload.visitor.id", (d: ReturnType<typeof fixture>) => delete d.payload.visitor.id],
  ])("rejects a delivery without %s, naming the path", (path, remove) => {
    const delivery = fixture("js-error");
    remove(delivery);
    const error = expectInvalidPayload(() => parse(delivery));
    expect(detailPaths(error)).toContain(path);
  });

  it("rejects a blank message_id", () => {
    const delivery = fixture("js-error");
    delivery.message_id = "   ";
    expect(detailPaths(expectInvalidPayload(() => parse(delivery)))).toContain("message_id");
  });

  it("rejects wrong types in kind fields", () => {
    const net = fixture("net-error");
    net.payload.status = "500";
    expectInvalidPayload(() => parse(net));

    const rage = fixture("rage-click");
    rage.payload.clicks = -1;
    expectInvalidPayload(() => parse(rage));

    const js = fixture("js-error");
    js.payload.count = 1.5;
    expectInvalidPayload(() => parse(js));

    const custom = fixture("custom");
    custom.payload.properties = ["not", "a", "map"];
    expectInvalidPayload(() => parse(custom));
  });

  it("names the full path of a wrongly typed kind field in the details", () => {
    const net = fixture("net-error");
    net.payload.status = "500";
    expect(detailPaths(expectInvalidPayload(() => parse(net)))).toContain("payload.status");

    const rage = fixture("rage-click");
    rage.payload.clicks = -1;
    expect(detailPaths(expectInvalidPayload(() => parse(rage)))).toContain("payload.clicks");
  });

  it("rejects a NUL character anywhere", () => {
    const inValue = fixture("js-error");
    inValue.payload.value = "before\u0000after";
    expectInvalidPayload(() => parse(inValue));

    const inVisitor = fixture("js-error");
    inVisitor.payload.visitor.params = [{ name: "plan", value: "p\u0000" }];
    expectInvalidPayload(() => parse(inVisitor));

    const inUnknownField = fixture("rage-click");
    inUnknownField.payload.extra = { deep: ["\u0000"] };
    expectInvalidPayload(() => parse(inUnknownField));

    const inKey = fixture("custom");
    inKey.payload.properties = { "a\u0000_str": "x" };
    expectInvalidPayload(() => parse(inKey));
  });

  it("rejects an unpaired surrogate, escaped or literal", () => {
    const escaped = fixtureRaw("js-error").replace("product is not valid", "product \\ud800 is not valid");
    expect(escaped).not.toBe(fixtureRaw("js-error"));
    expectInvalidPayload(() => parseDelivery(escaped, RECEIVED_AT));

    const literal = fixture("error-click");
    literal.payload.messsage = "lone \udc00 low surrogate";
    expectInvalidPayload(() => parse(literal));
  });

  it("accepts a well-formed surrogate pair (emoji)", () => {
    const delivery = fixture("js-error");
    delivery.payload.value = "product 😀 is not valid";
    expect(parse(delivery).fields).toMatchObject({ message: "product 😀 is not valid" });
  });

  it("rejects nesting deeper than 32 levels, without overflowing the stack", () => {
    const delivery = fixture("rage-click");
    delivery.payload.extra = nested(40);
    expectInvalidPayload(() => parse(delivery));

    const veryDeep = fixtureRaw("rage-click").replace('"clicks": 5', `"clicks": 5, "extra": ${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(veryDeep).not.toBe(fixtureRaw("rage-click"));
    expectInvalidPayload(() => parseDelivery(veryDeep, RECEIVED_AT));
  });

  it("rejects a number a double cannot hold, rather than storing null", () => {
    for (const number of ["1e309", "-1e309", "1" + "0".repeat(400)]) {
      const raw = fixtureRaw("custom").replace('"product_id_int": 1', `"product_id_int": ${number}`);
      expect(raw).not.toBe(fixtureRaw("custom"));
      expect(expectInvalidPayload(() => parseDelivery(raw, RECEIVED_AT)).message).toMatch(/payload\.properties\.product_id_int: number out of range/);
    }
  });

  it("rejects a number with more than 400 decimals, which PostgreSQL would expand or refuse", () => {
    for (const number of ["1e-20000", "1e-401", `0.${"0".repeat(400)}1`, "0e500", "-2.5E-16384"]) {
      const raw = fixtureRaw("custom").replace('"product_id_int": 1', `"product_id_int": ${number}`);
      expect(expectInvalidPayload(() => parseDelivery(raw, RECEIVED_AT)).message, number).toMatch(/number .* has more than 400 decimals/);
    }
  });

  it("accepts the doubles at the edges of the range, and number-like text inside strings", () => {
    const numbers = '"tiny_float": -4.9406564584124654e-324, "big_float": 1.7976931348623157E+308, "zero_int": -0';
    const text = `"1e-99999" 0.${"0".repeat(500)}1 \\" 1e-99999`;
    const raw = fixtureRaw("custom").replace('"product_id_int": 1', `${numbers}, "note_str": ${JSON.stringify(text)}`);
    expect(parseDelivery(raw, RECEIVED_AT).fields).toMatchObject({
      properties: { tiny_float: -5e-324, big_float: 1.7976931348623157e308, zero_int: -0, note_str: text },
    });
  });

  it("accepts moderate nesting in an unknown field", () => {
    const delivery = fixture("rage-click");
    delivery.payload.extra = nested(20);
    expect(parse(delivery).fields).toEqual({ kind: "RageClick", clicks: 5 });
  });
});
