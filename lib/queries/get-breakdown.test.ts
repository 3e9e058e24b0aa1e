// Integration: GET /api/stats/breakdown on the real server, from each rollup and from raw events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

type Who = { id: string; name: string | null; email: string | null; country: string | null };
const A: Who = { id: "visitor-a", name: "Alice", email: "alice@example.test", country: "PL" };
const B: Who = { id: "visitor-b", name: null, email: "bob@example.test", country: "DE" };
const C: Who = { id: "visitor-c", name: null, email: null, country: null };
const D: Who = { id: "visitor-d", name: "Dan", email: null, country: "PL" };

const TYPE_ERROR = "TypeError: x is undefined";
const sends: [FixtureName, string, Who, Record<string, unknown>][] = [
  ["js-error", "2026-11-29T10:05:00Z", A, { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:10:00Z", B, { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:20:00Z", A, { value: TYPE_ERROR }],
  ["net-error", "2026-11-29T11:05:00Z", A, { method: "GET", url: "https://api.x/products/1", status: 500 }],
  ["net-error", "2026-11-29T11:10:00Z", C, { method: "GET", url: "https://api.x/products/2?q=1", status: 500 }],
  ["net-error", "2026-11-29T11:15:00Z", B, { method: "POST", url: "https://api.x/cart", status: 503 }],
  ["error-click", "2026-11-29T12:00:00Z", D, { messsage: "Buy failed" }],
  ["rage-click", "2026-11-29T12:30:00Z", C, {}],
  ["custom", "2026-11-29T13:00:00Z", A, { name: "Signup" }],
  ["js-error", "2026-11-27T10:00:00Z", D, { value: TYPE_ERROR }],
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  const all: [FixtureName, string, string, Who, Record<string, unknown>][] = [
    ...sends.map(([f, at, who, fields]) => [f, "site-a", at, who, fields] as [FixtureName, string, string, Who, Record<string, unknown>]),
    ["js-error", "site-other", "2026-11-29T10:05:00Z", A, { value: TYPE_ERROR }],
  ];
  for (const [fixture, website, at, who, fields] of all) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      Object.assign(d.payload, fields, { time: seconds * 1000 });
      d.payload.visitor = { id: who.id, name: who.name, email: who.email, geolocation: { country_code: who.country, city: null } };
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function breakdown(query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${server.url}/api/stats/breakdown?${query}`, { headers });
  return { status: response.status, json: await response.json() };
}

const DAY = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const kinds = (f: Partial<Record<string, number>>) => ({ JSError: 0, NetError: 0, ErrorClick: 0, RageClick: 0, ...f });
type Row = { key: string; label: string; events: number; byKind: Record<string, number> };
const brief = (rows: Row[]) => rows.map((r) => [r.label, r.events]);

describe("GET /api/stats/breakdown", () => {
  it("ranks countries from the hourly rollup, unknown ones as \"\" labelled Unknown", async () => {
    const { status, json } = await breakdown(`${DAY}&by=country`);
    expect(status).toBe(200);
    expect(json).toEqual({
      by: "country",
      from: "2026-11-29T00:00:00.000Z",
      to: "2026-11-30T00:00:00.000Z",
      kinds: ["JSError", "NetError", "ErrorClick", "RageClick"],
      total: 8,
      rows: [
        { key: "PL", label: "PL", events: 4, byKind: kinds({ JSError: 2, NetError: 1, ErrorClick: 1 }) },
        { key: "", label: "Unknown", events: 2, byKind: kinds({ NetError: 1, RageClick: 1 }) },
        { key: "DE", label: "DE", events: 2, byKind: kinds({ JSError: 1, NetError: 1 }) },
      ],
      other: { events: 0, byKind: kinds({}) },
    });
  });

  it("keeps the top N and sums the rest as other", async () => {
    const { json } = await breakdown(`${DAY}&by=country&limit=2`);
    expect(json.total).toBe(8);
    expect(brief(json.rows)).toEqual([["PL", 4], ["Unknown", 2]]);
    expect(json.other).toEqual({ events: 2, byKind: kinds({ JSError: 1, NetError: 1 }) });
  });

  it("ranks issues, labelled by title", async () => {
    const { json } = await breakdown(`${DAY}&by=issue&limit=2`);
    expect(json.total).toBe(8);
    expect(brief(json.rows)).toEqual([[TYPE_ERROR, 3], ["GET https://api.x/products/:id 500", 2]]);
    expect(json.rows[0].key).toMatch(/^-?\d+$/);
    expect(json.rows[0].byKind).toEqual(kinds({ JSError: 3 }));
    expect(json.other.events).toBe(3);
  });

  it("ranks failing URLs (NetError issues: method, URL template, status)", async () => {
    const { json } = await breakdown(`${DAY}&by=url`);
    expect(json.total).toBe(3);
    expect(brief(json.rows)).toEqual([["GET https://api.x/products/:id 500", 2], ["POST https://api.x/cart 503", 1]]);
    expect(json.rows[0].byKind).toEqual(kinds({ NetError: 2 }));
    expect(json.other.events).toBe(0);
  });

  it("ranks visitors from the daily rollup, labelled by name, email or id", async () => {
    const { json } = await breakdown(`${DAY}&by=visitor`);
    expect(json.total).toBe(8);
    expect(json.rows.map((r: Row) => [r.key, r.label, r.events])).toEqual([
      ["visitor-a", "Alice", 3],
      ["visitor-b", "bob@example.test", 2],
      ["visitor-c", "visitor-c", 2],
      ["visitor-d", "Dan", 1],
    ]);
    expect(json.rows[0].byKind).toEqual(kinds({ JSError: 2, NetError: 1 }));
  });

  it("counts only the kinds asked for", async () => {
    const custom = await breakdown(`${DAY}&by=country&kind=Custom`);
    expect(custom.json.kinds).toEqual(["Custom"]);
    expect(custom.json.rows).toEqual([{ key: "PL", label: "PL", events: 1, byKind: { Custom: 1 } }]);
    const two = await breakdown(`${DAY}&by=visitor&kind=JSError,RageClick`);
    expect(two.json.total).toBe(4);
    expect(brief(two.json.rows)).toEqual([["Alice", 2], ["bob@example.test", 1], ["visitor-c", 1]]);
  });

  it("counts a short range from raw events with its exact bounds", async () => {
    // An hourly rollup would take 10:05 and 11:15 in too.
    const { json } = await breakdown("websiteId=site-a&from=2026-11-29T10:07:00Z&to=2026-11-29T11:12:00Z&by=country");
    expect(json.from).toBe("2026-11-29T10:07:00.000Z");
    expect(json.total).toBe(4);
    expect(brief(json.rows)).toEqual([["PL", 2], ["Unknown", 1], ["DE", 1]]);
  });

  it("applies filters, from the rollup when it holds them and from raw events otherwise", async () => {
    const pl = await breakdown(`${DAY}&by=country&country=PL`);
    expect(brief(pl.json.rows)).toEqual([["PL", 4]]);
    const unknown = await breakdown(`${DAY}&by=country&country=`);
    expect(brief(unknown.json.rows)).toEqual([["Unknown", 2]]);
    const germanIssues = await breakdown(`${DAY}&by=issue&country=DE`);
    // Issues hold no country: raw events. Ties are ordered by key (the issue id).
    expect(germanIssues.json.rows.map((r: Row) => r.label).sort()).toEqual(["POST https://api.x/cart 503", TYPE_ERROR]);
    expect(germanIssues.json.total).toBe(2);
    const alice = await breakdown(`${DAY}&by=country&visitorId=visitor-a`);
    expect(brief(alice.json.rows)).toEqual([["PL", 3]]);
    const issueId = (await breakdown(`${DAY}&by=issue&limit=1`)).json.rows[0].key;
    const oneIssue = await breakdown(`${DAY}&by=visitor&issueId=${issueId}`);
    expect(brief(oneIssue.json.rows)).toEqual([["Alice", 2], ["bob@example.test", 1]]);
    const oneIssueHourly = await breakdown(`${DAY}&by=issue&issueId=${issueId}`);
    expect(brief(oneIssueHourly.json.rows)).toEqual([[TYPE_ERROR, 3]]);
  });

  it("adds time series for the top N and other, in buckets no smaller than the rollup's", async () => {
    const { json } = await breakdown(`${DAY}&by=country&limit=1&series=1`);
    expect(json.bucketMinutes).toBe(60);
    expect(json.points).toHaveLength(24);
    const nonZero = json.points.filter((p: { values: Record<string, number> }) => p.values.PL || p.values.other);
    expect(nonZero).toEqual([
      { t: "2026-11-29T10:00:00.000Z", values: { PL: 2, other: 1 } },
      { t: "2026-11-29T11:00:00.000Z", values: { PL: 1, other: 2 } },
      { t: "2026-11-29T12:00:00.000Z", values: { PL: 1, other: 1 } },
    ]);

    const week = await breakdown("websiteId=site-a&from=2026-11-24T00:00:00Z&to=2026-12-01T00:00:00Z&by=visitor&limit=1&series=1&tz=Asia/Kolkata");
    expect(week.json.bucketMinutes).toBe(1440);
    expect(week.json.timeZone).toBe("UTC");
    expect(week.json.points).toHaveLength(7);
    expect(week.json.points.filter((p: { values: Record<string, number> }) => p.values["visitor-a"] || p.values.other)).toEqual([
      { t: "2026-11-27T00:00:00.000Z", values: { "visitor-a": 0, other: 1 } },
      { t: "2026-11-29T00:00:00.000Z", values: { "visitor-a": 3, other: 5 } },
    ]);

    const short = await breakdown("websiteId=site-a&from=2026-11-29T10:00:00Z&to=2026-11-29T12:00:00Z&by=url&series=1");
    expect(short.json.bucketMinutes).toBe(1);
    expect(short.json.points).toHaveLength(120);
    const sums: Record<string, number> = {};
    for (const p of short.json.points) for (const [k, v] of Object.entries(p.values)) sums[k] = (sums[k] ?? 0) + (v as number);
    expect(sums).toEqual(Object.fromEntries([...short.json.rows.map((r: Row) => [r.key, r.events]), ["other", 0]]));
  });

  it("ranks issues over whole days (daily rollup) and hours (hourly rollup), with exact series for the rest", async () => {
    // 11-26 09:00 to 11-29 13:00: the hours of 11-26 and 11-29, the whole days 11-27 and 11-28.
    const { json } = await breakdown("websiteId=site-a&from=2026-11-26T09:30:00Z&to=2026-11-29T12:30:00Z&by=issue&limit=2&series=1");
    expect([json.from, json.to]).toEqual(["2026-11-26T09:00:00.000Z", "2026-11-29T13:00:00.000Z"]);
    expect(json.total).toBe(9);
    expect(brief(json.rows)).toEqual([[TYPE_ERROR, 4], ["GET https://api.x/products/:id 500", 2]]);
    expect(json.other).toEqual({ events: 3, byKind: kinds({ NetError: 1, ErrorClick: 1, RageClick: 1 }) });
    expect(json.bucketMinutes).toBe(60);
    const [typeError, products] = json.rows.map((r: Row) => r.key);
    const nonZero = json.points
      .filter((p: { values: Record<string, number> }) => Object.values(p.values).some((v) => v !== 0))
      .map((p: { t: string; values: Record<string, number> }) => [p.t, p.values[typeError], p.values[products], p.values.other]);
    expect(nonZero).toEqual([
      ["2026-11-27T10:00:00.000Z", 1, 0, 0],
      ["2026-11-29T10:00:00.000Z", 3, 0, 0],
      ["2026-11-29T11:00:00.000Z", 0, 2, 1],
      ["2026-11-29T12:00:00.000Z", 0, 0, 2],
    ]);
    const urls = await breakdown("websiteId=site-a&from=2026-11-26T09:30:00Z&to=2026-11-29T12:30:00Z&by=url&limit=1&series=1");
    expect(brief(urls.json.rows)).toEqual([["GET https://api.x/products/:id 500", 2]]);
    expect(urls.json.other.events).toBe(1);
    expect(urls.json.points.find((p: { t: string }) => p.t === "2026-11-29T11:00:00.000Z").values.other).toBe(1);
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await breakdown(`${DAY}&by=browser`)).status).toBe(400);
    expect((await breakdown(`${DAY}`)).status).toBe(400);
    expect((await breakdown(`${DAY}&by=country&limit=0`)).status).toBe(400);
    expect((await breakdown(`${DAY}&by=country&limit=101`)).status).toBe(400);
    expect((await breakdown(`${DAY}&by=country&kind=,`)).status).toBe(400);
    expect((await breakdown(`${DAY}&by=country&issueId=abc`)).status).toBe(400);
    expect((await breakdown("by=country")).status).toBe(400);
    expect((await breakdown("websiteId=site-a&by=country&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status).toBe(400);
    expect((await breakdown(`${DAY}&by=country`, {})).status).toBe(401);
  });
});
