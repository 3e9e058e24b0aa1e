import { describe, expect, it } from "vitest";
import type { EventRecord } from "../ingest/store";
import { compileScope, matchesScope, scopedEvent, urlPatternRegex, type ScopedEvent } from "./scope";
import type { RuleScope } from "./types";

const netError: ScopedEvent = {
  kind: "NetError",
  issueId: "-4211",
  url: "https://api.shop.example/v1/cart/42?x=(1)",
  countryCode: "PL",
  name: null,
  properties: null,
};
const custom: ScopedEvent = {
  kind: "Custom",
  issueId: "77",
  url: null,
  countryCode: null,
  name: "Product added",
  properties: { plan_str: "pro", items_int: 3, beta_bool: false },
};

const matches = (scope: RuleScope, event: ScopedEvent) => matchesScope(compileScope(scope), event);

describe("matchesScope", () => {
  it("an empty scope matches every event", () => {
    expect(matches({}, netError)).toBe(true);
    expect(matches({}, custom)).toBe(true);
  });

  it("kinds: any of them", () => {
    expect(matches({ kinds: ["JSError", "NetError"] }, netError)).toBe(true);
    expect(matches({ kinds: ["JSError"] }, netError)).toBe(false);
  });

  it("issueId: the issue the event was counted on, in any decimal spelling", () => {
    expect(matches({ issueId: "-4211" }, netError)).toBe(true);
    expect(matches({ issueId: "-04211" }, netError)).toBe(true);
    expect(matches({ issueId: "4211" }, netError)).toBe(false);
  });

  it("countries: any of them; an event without a country never matches", () => {
    expect(matches({ countries: ["DE", "PL"] }, netError)).toBe(true);
    expect(matches({ countries: ["DE"] }, netError)).toBe(false);
    expect(matches({ countries: ["PL"] }, custom)).toBe(false);
    expect(matches({ countries: ["PL"] }, { ...netError, countryCode: "pl" })).toBe(true);
  });

  it("eventName: exactly, custom events only", () => {
    expect(matches({ eventName: "Product added" }, custom)).toBe(true);
    expect(matches({ eventName: "product added" }, custom)).toBe(false);
    expect(matches({ eventName: "Product added" }, netError)).toBe(false);
  });

  it("property: the typed key's value, with its type", () => {
    expect(matches({ property: { key: "plan_str", value: "pro" } }, custom)).toBe(true);
    expect(matches({ property: { key: "plan_str", value: "free" } }, custom)).toBe(false);
    expect(matches({ property: { key: "items_int", value: 3 } }, custom)).toBe(true);
    expect(matches({ property: { key: "items_int", value: "3" as unknown as number } }, custom)).toBe(false);
    expect(matches({ property: { key: "beta_bool", value: false } }, custom)).toBe(true);
    expect(matches({ property: { key: "missing_str", value: "pro" } }, custom)).toBe(false);
    expect(matches({ property: { key: "plan_str", value: "pro" } }, netError)).toBe(false);
  });

  it("every given part must match", () => {
    expect(matches({ kinds: ["NetError"], countries: ["PL"], urlPattern: "*/cart/*" }, netError)).toBe(true);
    expect(matches({ kinds: ["NetError"], countries: ["DE"], urlPattern: "*/cart/*" }, netError)).toBe(false);
    expect(matches({ kinds: ["Custom"], eventName: "Product added", property: { key: "plan_str", value: "free" } }, custom)).toBe(false);
  });
});

describe("urlPattern", () => {
  it("matches the whole URL, with * for any run of characters", () => {
    expect(matches({ urlPattern: "https://api.shop.example/*" }, netError)).toBe(true);
    expect(matches({ urlPattern: "*/cart/*" }, netError)).toBe(true);
    expect(matches({ urlPattern: "/cart/" }, netError)).toBe(false);
    expect(matches({ urlPattern: "*" }, netError)).toBe(true);
    expect(matches({ urlPattern: "*/checkout*" }, netError)).toBe(false);
  });

  it("treats regular-expression characters literally", () => {
    expect(matches({ urlPattern: "*?x=(1)" }, netError)).toBe(true);
    expect(matches({ urlPattern: "https://api.shop.example/v1/cart/42?x=(1)" }, netError)).toBe(true);
    // "." is a dot, not any character; "?" is a question mark, not "optional".
    expect(matches({ urlPattern: "https://apixshop.example/*" }, netError)).toBe(false);
    expect(urlPatternRegex("a.b").test("axb")).toBe(false);
    expect(urlPatternRegex("a+b").test("aab")).toBe(false);
    expect(urlPatternRegex("a+b").test("a+b")).toBe(true);
    expect(urlPatternRegex("[a]|b\\c$^{2}").test("[a]|b\\c$^{2}")).toBe(true);
    expect(urlPatternRegex("x*y").test("x\ny")).toBe(true);
  });

  it("an event without a URL never matches a pattern", () => {
    expect(matches({ urlPattern: "*" }, custom)).toBe(false);
  });
});

describe("scopedEvent", () => {
  it("reads the parts of a stored record a scope looks at", () => {
    const record = {
      fields: { kind: "Custom", name: "Signup", properties: { plan_str: "pro" }, propertyErrors: [] },
      issueId: "12",
      visitor: { countryCode: "DE" },
    } as unknown as EventRecord;
    expect(scopedEvent(record)).toEqual({
      kind: "Custom",
      issueId: "12",
      url: null,
      countryCode: "DE",
      name: "Signup",
      properties: { plan_str: "pro" },
    });
    const net = { fields: { kind: "NetError", method: "GET", url: "https://x/y", status: 500 }, issueId: "3", visitor: { countryCode: null } } as unknown as EventRecord;
    expect(scopedEvent(net)).toMatchObject({ kind: "NetError", url: "https://x/y", name: null, properties: null });
  });
});
