// Integration: GET /api/custom-events and GET /api/custom-events/properties on the real server.
import { beforeAll, describe, expect, it } from "vitest";
import { delivery, postWebhook } from "../testing/deliveries";
import { apiTestServer, TEST_TOKEN as TOKEN } from "../testing/api-server";
import { setDatabaseUrl } from "../env";
import { customEventPropertiesQuery, getCustomEventProperties } from "./get-custom-event-properties";

const app = apiTestServer();
const { get } = app;

// [website, time, visitor, name, properties | undefined for the fixture's own]
const sends: [string, string, string, string, Record<string, unknown> | undefined][] = [
  ["site-a", "2026-11-28T10:00:00Z", "visitor-a", "Signup", { plan_str: "pro", seats_int: 3, amount_float: 9.5, trial_bool: true }],
  ["site-a", "2026-11-28T11:00:00Z", "visitor-b", "Signup", { plan_str: "free", seats_int: 1, amount_float: 0, trial_bool: false }],
  ["site-a", "2026-11-28T12:00:00Z", "visitor-a", "Signup", { plan_str: "pro", seats_int: 10, amount_float: 99.99, trial_bool: true, note: "x" }],
  ["site-a", "2026-11-28T13:00:00Z", "visitor-c", "Signup", { plan_str: 5, seats_int: 2.5 }],
  ["site-a", "2026-11-28T14:00:00Z", "visitor-c", "Product added", undefined],
  ["site-a", "2026-11-27T10:00:00Z", "visitor-d", "Signup", { plan_str: "team" }],
  ["site-other", "2026-11-28T10:00:00Z", "visitor-a", "Signup", { plan_str: "pro" }],
];

beforeAll(async () => {
  for (const [website, at, visitor, name, properties] of sends) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery("custom", (d) => {
      d.website_id = website;
      d.created_at = seconds;
      d.payload.time = seconds * 1000;
      d.payload.name = name;
      if (properties) d.payload.properties = properties;
      d.payload.visitor.id = visitor;
      d.payload.visitor.geolocation.country_code = visitor === "visitor-b" ? "DE" : "PL";
    });
    expect((await postWebhook(app.url, body)).status).toBe(200);
  }
});


const DAY = "websiteId=site-a&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";
const SIGNUP = `${DAY}&name=Signup`;
const spark = (parts: Record<number, number>) => Array.from({ length: 24 }, (_, i) => parts[i] ?? 0);

describe("GET /api/custom-events", () => {
  it("lists names with events in the range, their share, all-time totals and trends", async () => {
    const { status, json } = await get(`/api/custom-events?${DAY}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ from: "2026-11-28T00:00:00.000Z", to: "2026-11-29T00:00:00.000Z", total: 5, nextCursor: null });
    expect(json.events).toEqual([
      {
        name: "Signup",
        issueId: expect.stringMatching(/^-?\d+$/),
        events: 4,
        share: 0.8,
        totalEvents: 5,
        visitors: 4,
        firstSeen: "2026-11-27T10:00:00.000Z",
        lastSeen: "2026-11-28T13:00:00.000Z",
        sparkline: spark({ 10: 1, 11: 1, 12: 1, 13: 1 }),
      },
      expect.objectContaining({ name: "Product added", events: 1, share: 0.2, totalEvents: 1, visitors: 1 }),
    ]);
  });

  it("searches names, filters by country from raw events, and pages", async () => {
    expect((await get(`/api/custom-events?${DAY}&q=product`)).json.events.map((e: { name: string }) => e.name)).toEqual(["Product added"]);
    const de = (await get(`/api/custom-events?${DAY}&country=DE`)).json;
    expect([de.total, de.events.map((e: { name: string; events: number }) => [e.name, e.events])]).toEqual([1, [["Signup", 1]]]);
    const first = (await get(`/api/custom-events?${DAY}&limit=1`)).json;
    expect(first.events.map((e: { name: string }) => e.name)).toEqual(["Signup"]);
    const second = (await get(`/api/custom-events?${DAY}&limit=1&cursor=${first.nextCursor}`)).json;
    expect([second.events.map((e: { name: string }) => e.name), second.nextCursor]).toEqual([["Product added"], null]);
  });

  it("exports the list as JSON", async () => {
    const response = await fetch(`${app.url}/api/custom-events?${DAY}&format=json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="custom-events-/);
    const rows = await response.json();
    expect(rows.map((r: { name: string; events: number; share: number; visitors: number }) => [r.name, r.events, r.share, r.visitors])).toEqual([
      ["Signup", 4, 0.8, 4],
      ["Product added", 1, 0.2, 1],
    ]);
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await get(`/api/custom-events?${DAY}&sort=name`)).status).toBe(400);
    expect((await get(`/api/custom-events?${DAY}&limit=0`)).status).toBe(400);
    expect((await get(`/api/custom-events?${DAY}`, {})).status).toBe(401);
  });
});

describe("GET /api/custom-events/properties", () => {
  const props = async (query: string) => {
    const { status, json } = await get(`/api/custom-events/properties?${query}`);
    expect(status).toBe(200);
    return json;
  };

  it("lists the keys of a name's events with their suffix type and how many values fit it", async () => {
    const json = await props(SIGNUP);
    expect(json).toMatchObject({ name: "Signup", events: 4, sample: { rows: 4, limit: 10_000, capped: false } });
    expect(json.properties).toEqual([
      { key: "plan_str", type: "str", events: 4, valid: 3 },
      { key: "seats_int", type: "int", events: 4, valid: 3 },
      { key: "amount_float", type: "float", events: 3, valid: 3 },
      { key: "trial_bool", type: "bool", events: 3, valid: 3 },
      { key: "note", type: null, events: 1, valid: 0 },
    ]);
  });

  it("breaks down a string property into top values", async () => {
    const json = await props(`${SIGNUP}&property=plan_str`);
    expect(json.property).toEqual({ key: "plan_str", type: "str", present: 4, missing: 0, mismatched: 1, valid: 3 });
    expect(json.breakdown).toEqual({ kind: "values", values: [{ value: "pro", events: 2 }, { value: "free", events: 1 }], other: 0 });
    const untyped = await props(`${SIGNUP}&property=note`);
    expect([untyped.property.present, untyped.property.missing, untyped.breakdown.values]).toEqual([1, 3, [{ value: '"x"', events: 1 }]]);
  });

  it("describes an integer property: stats, percentiles and whole-number buckets", async () => {
    const json = await props(`${SIGNUP}&property=seats_int`);
    expect(json.property).toEqual({ key: "seats_int", type: "int", present: 4, missing: 0, mismatched: 1, valid: 3 });
    expect(json.breakdown).toMatchObject({ kind: "numeric", count: 3, min: 1, max: 10, avg: 4.666667, p50: 3, p90: 8.6, p95: 9.3, p99: 9.86 });
    expect(json.breakdown.buckets).toHaveLength(10);
    expect(json.breakdown.buckets.filter((b: { events: number }) => b.events > 0)).toEqual([
      { from: 1, to: 2, events: 1 },
      { from: 3, to: 4, events: 1 },
      { from: 10, to: 11, events: 1 },
    ]);
  });

  it("describes a float property with equal-width buckets", async () => {
    const { breakdown } = await props(`${SIGNUP}&property=amount_float`);
    expect(breakdown).toMatchObject({ kind: "numeric", count: 3, min: 0, max: 99.99, avg: 36.496667 });
    expect(breakdown.buckets.map((b: { events: number }) => b.events)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(breakdown.buckets.at(-1).to).toBe(99.99);
  });

  it("splits a boolean property into true and false", async () => {
    const json = await props(`${SIGNUP}&property=trial_bool`);
    expect(json.property).toEqual({ key: "trial_bool", type: "bool", present: 3, missing: 1, mismatched: 0, valid: 3 });
    expect(json.breakdown).toEqual({ kind: "boolean", true: 2, false: 1 });
  });

  it("applies the country filter and answers an unknown property with nothing present", async () => {
    const de = await props(`${SIGNUP}&country=DE&property=plan_str`);
    expect([de.events, de.breakdown.values]).toEqual([1, [{ value: "free", events: 1 }]]);
    const none = await props(`${SIGNUP}&property=nothing_str`);
    expect([none.property.present, none.property.missing, none.breakdown.values]).toEqual([0, 4, []]);
  });

  it("applies the view's custom property filter (key:value) to the events read", async () => {
    const pro = await props(`${SIGNUP}&prop=plan_str:pro&property=seats_int`);
    expect([pro.events, pro.sample.rows, pro.breakdown.count, pro.breakdown.min, pro.breakdown.max]).toEqual([2, 2, 2, 3, 10]);
    const trial = await props(`${SIGNUP}&prop=trial_bool:false&property=plan_str`);
    expect(trial.breakdown.values).toEqual([{ value: "free", events: 1 }]);
    expect((await get(`/api/custom-events/properties?${SIGNUP}&prop=nocolon`)).status).toBe(400);
  });

  it("reads only the newest events when there are more than the sample holds, and says so", async () => {
    setDatabaseUrl(app.databaseUrl);
    const query = customEventPropertiesQuery.parse({ websiteId: "site-a", from: "2026-11-28T00:00:00Z", to: "2026-11-29T00:00:00Z", name: "Signup", property: "plan_str" });
    const json = await getCustomEventProperties(query, 2);
    // The newest two: 13:00 (plan_str 5, mistyped) and 12:00 ("pro"); the count of the name stays exact.
    expect([json.events, json.sample]).toEqual([4, { rows: 2, limit: 2, capped: true }]);
    if (!("breakdown" in json)) throw new Error("expected a breakdown");
    expect(json.property).toEqual({ key: "plan_str", type: "str", present: 2, missing: 0, mismatched: 1, valid: 1 });
    expect(json.breakdown).toEqual({ kind: "values", values: [{ value: "pro", events: 1 }], other: 0 });
  });

  it("answers 404 for a name never seen, 400 without a name, 401 without credentials", async () => {
    const missing = await get(`/api/custom-events/properties?${DAY}&name=Nope`);
    expect([missing.status, missing.json.error.code]).toEqual([404, "not_found"]);
    expect((await get(`/api/custom-events/properties?${DAY.replace("site-a", "site-none")}&name=Signup`)).status).toBe(404);
    expect((await get(`/api/custom-events/properties?${DAY}`)).status).toBe(400);
    expect((await get(`/api/custom-events/properties?${SIGNUP}`, {})).status).toBe(401);
  });
});
