// Integration: the stats filters (kind, country, issueId, visitorId, url, prop) on every stats
// and list endpoint, on the real server, both where a rollup answers and where raw events do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

const PL = { country: "PL" };
const DE = { country: "DE" };
const PRODUCTS = "https://shop.example/products/:id";
// [n, fixture, time, visitor, country, payload fields]
const sends: [number, FixtureName, string, string, { country: string }, Record<string, unknown>][] = [
  [1, "js-error", "2026-11-29T10:05:00Z", "vA", PL, { value: "TypeError: x is undefined" }],
  [2, "js-error", "2026-11-29T10:10:00Z", "vB", DE, { value: "TypeError: x is undefined" }],
  [3, "net-error", "2026-11-29T10:20:00Z", "vA", PL, { method: "GET", url: "https://shop.example/products/1", status: 500 }],
  [4, "net-error", "2026-11-29T11:00:00Z", "vC", DE, { method: "GET", url: "https://shop.example/products/2?ref=x", status: 500 }],
  [5, "net-error", "2026-11-29T11:30:00Z", "vB", DE, { method: "POST", url: "https://shop.example/cart", status: 503 }],
  [6, "custom", "2026-11-29T12:00:00Z", "vA", PL, { name: "Checkout", properties: { plan_str: "pro", items_int: 3, beta_bool: true, price_float: 9.5 } }],
  [7, "custom", "2026-11-29T12:30:00Z", "vB", DE, { name: "Checkout", properties: { plan_str: "free", items_int: 3, beta_bool: false } }],
  // A property of the wrong type is kept as sent: "3" is not the integer 3.
  [8, "custom", "2026-11-29T13:00:00Z", "vC", DE, { name: "Checkout", properties: { plan_str: "pro", items_int: "3" } }],
  [9, "rage-click", "2026-11-29T13:30:00Z", "vA", PL, {}],
  [10, "error-click", "2026-11-29T14:00:00Z", "vC", DE, { message: "Buy failed" }],
  [11, "js-error", "2026-11-28T10:00:00Z", "vA", PL, { value: "TypeError: x is undefined" }],
  [12, "net-error", "2026-11-28T11:00:00Z", "vB", DE, { method: "GET", url: "https://shop.example/products/3", status: 500 }],
];

// site-w: events around the epoch-aligned week 11-19 (Thursday) to 11-26, for ranges read as
// whole weeks plus days.
const weekSends: [FixtureName, string, string][] = [
  ["js-error", "2026-11-13T10:00:00Z", "vX"], // before the range
  ["js-error", "2026-11-15T10:00:00Z", "vX"], // a day before the week
  ["net-error", "2026-11-19T00:00:00Z", "vY"], // the week's first instant
  ["custom", "2026-11-20T10:00:00Z", "vW"],
  ["rage-click", "2026-11-22T10:00:00Z", "vX"],
  ["js-error", "2026-11-25T23:59:59Z", "vY"], // the week's last second
  ["error-click", "2026-11-26T00:00:00Z", "vZ"], // a day after the week
  ["rage-click", "2026-11-29T23:00:00Z", "vZ"],
  ["js-error", "2026-11-30T00:00:00Z", "vX"], // after the range
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  const all = [
    ...sends.map(([, f, at, v, c, fields]) => [f, "site-f", at, v, c, fields] as const),
    ["js-error", "site-other", "2026-11-29T10:05:00Z", "vA", PL, {}] as const,
    ...weekSends.map(([f, at, v]) => [f, "site-w", at, v, PL, {}] as const),
  ];
  for (const [fixture, website, at, visitor, { country }, fields] of all) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      Object.assign(d.payload, fields, { time: seconds * 1000 });
      d.payload.visitor = { id: visitor, name: null, email: null, geolocation: { country_code: country, city: null } };
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function get(path: string, query: string, website = "site-f") {
  const response = await fetch(`${server.url}${path}?websiteId=${website}&${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, json: await response.json() };
}

const DAY = "from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const WEEK = "from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z";
const HOURS = "from=2026-11-29T10:00:00Z&to=2026-11-29T15:00:00Z"; // 5 hours: raw events
const q = (value: string) => encodeURIComponent(value);

type Point = { t: string; values: Record<string, number> };
/** The series' sums over every bucket, without zeros. */
function sums(points: Point[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const p of points) for (const [k, v] of Object.entries(p.values)) if (v) total[k] = (total[k] ?? 0) + v;
  return total;
}

const figures = (f: Partial<Record<string, number>>) => ({ JSError: 0, NetError: 0, ErrorClick: 0, RageClick: 0, Custom: 0, affectedVisitors: 0, ...f });

async function issueId(title: string): Promise<string> {
  const { json } = await get("/api/issues", `${WEEK}&q=${q(title)}`);
  expect(json.issues).toHaveLength(1);
  return json.issues[0].id;
}

describe("filters on /api/stats/timeseries", () => {
  it("url (a templated URL, exact) from raw events", async () => {
    const { json } = await get("/api/stats/timeseries", `${DAY}&url=${q(PRODUCTS)}`);
    expect(json.bucketMinutes).toBe(15);
    expect(sums(json.points)).toEqual({ NetError: 2 });
    const nonZero = json.points.filter((p: Point) => p.values.NetError).map((p: Point) => p.t);
    expect(nonZero).toEqual(["2026-11-29T10:15:00.000Z", "2026-11-29T11:00:00.000Z"]);
  });

  it("prop, typed by the key's suffix", async () => {
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=plan_str:pro`)).json.points)).toEqual({ Custom: 2 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=items_int:3`)).json.points)).toEqual({ Custom: 2 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=beta_bool:true`)).json.points)).toEqual({ Custom: 1 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=beta_bool:false`)).json.points)).toEqual({ Custom: 1 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=price_float:9.50`)).json.points)).toEqual({ Custom: 1 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=plan_str:3`)).json.points)).toEqual({});
    expect(sums((await get("/api/stats/timeseries", `${DAY}&prop=missing_str:pro`)).json.points)).toEqual({});
  });

  it("country from the hourly rollup (hour buckets) and from raw events (15-minute buckets)", async () => {
    const week = (await get("/api/stats/timeseries", `${WEEK}&country=PL`)).json;
    expect(week.bucketMinutes).toBe(60);
    expect(sums(week.points)).toEqual({ JSError: 2, NetError: 1, Custom: 1, RageClick: 1 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&country=DE`)).json.points)).toEqual({ JSError: 1, NetError: 2, Custom: 2, ErrorClick: 1 });
  });

  it("kind lists, issueId, visitorId and a combination", async () => {
    const kinds = (await get("/api/stats/timeseries", `${DAY}&kind=NetError,RageClick`)).json;
    expect(kinds.series).toEqual(["NetError", "RageClick"]);
    expect(sums(kinds.points)).toEqual({ NetError: 3, RageClick: 1 });
    const products = await issueId("GET https://shop.example/products/:id 500");
    expect(sums((await get("/api/stats/timeseries", `${WEEK}&issueId=${products}`)).json.points)).toEqual({ NetError: 3 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&issueId=${products}`)).json.points)).toEqual({ NetError: 2 });
    expect(sums((await get("/api/stats/timeseries", `${DAY}&visitorId=vA`)).json.points)).toEqual({ JSError: 1, NetError: 1, Custom: 1, RageClick: 1 });
    expect(sums((await get("/api/stats/timeseries", `${WEEK}&country=DE&kind=NetError&url=${q(PRODUCTS)}`)).json.points)).toEqual({ NetError: 2 });
  });
});

describe("filters on /api/stats/totals", () => {
  it("url, with affected visitors and the previous period", async () => {
    const { json } = await get("/api/stats/totals", `${DAY}&url=${q(PRODUCTS)}`);
    expect(json.current).toEqual(figures({ NetError: 2, affectedVisitors: 2 }));
    expect(json.previous).toEqual(figures({ NetError: 1, affectedVisitors: 1 }));
  });

  it("country from the hourly rollup", async () => {
    const { json } = await get("/api/stats/totals", `${DAY}&country=DE`);
    expect(json.current).toEqual(figures({ JSError: 1, NetError: 2, Custom: 2, ErrorClick: 1, affectedVisitors: 2 }));
    expect(json.previous).toEqual(figures({ NetError: 1, affectedVisitors: 1 }));
  });

  it("visitorId, prop, issueId, and kind with country", async () => {
    expect((await get("/api/stats/totals", `${DAY}&visitorId=vA`)).json.current).toEqual(
      figures({ JSError: 1, NetError: 1, Custom: 1, RageClick: 1, affectedVisitors: 1 }),
    );
    // Custom events do not affect visitors.
    expect((await get("/api/stats/totals", `${DAY}&prop=plan_str:pro`)).json.current).toEqual(figures({ Custom: 2 }));
    const cart = await issueId("POST https://shop.example/cart 503");
    expect((await get("/api/stats/totals", `${DAY}&issueId=${cart}`)).json.current).toEqual(figures({ NetError: 1, affectedVisitors: 1 }));
    expect((await get("/api/stats/totals", `${DAY}&kind=JSError,NetError&country=DE`)).json.current).toEqual(
      figures({ JSError: 1, NetError: 2, affectedVisitors: 2 }),
    );
    // Rage clicks only: affected visitors are those with a rage click.
    expect((await get("/api/stats/totals", `${DAY}&kind=RageClick`)).json.current).toEqual(figures({ RageClick: 1, affectedVisitors: 1 }));
  });

  it("url with country over raw events with exact bounds", async () => {
    const { json } = await get("/api/stats/totals", `${HOURS}&url=${q(PRODUCTS)}&country=DE`);
    expect([json.from, json.to]).toEqual(["2026-11-29T10:00:00.000Z", "2026-11-29T15:00:00.000Z"]);
    expect(json.current).toEqual(figures({ NetError: 1, affectedVisitors: 1 }));
  });
});

describe("filters on /api/stats/breakdown", () => {
  it("by country with a url (raw) and by visitor with a prop", async () => {
    const byCountry = (await get("/api/stats/breakdown", `${DAY}&by=country&url=${q(PRODUCTS)}`)).json;
    expect(byCountry.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([
      ["DE", 1],
      ["PL", 1],
    ]);
    const byVisitor = (await get("/api/stats/breakdown", `${DAY}&by=visitor&kind=Custom&prop=items_int:3`)).json;
    expect(byVisitor.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([
      ["vA", 1],
      ["vB", 1],
    ]);
    expect(byVisitor.total).toBe(2);
  });

  it("by url with a country, by issue with a visitor, by country with a kind (rollup)", async () => {
    const byUrl = (await get("/api/stats/breakdown", `${WEEK}&by=url&country=DE`)).json;
    expect(byUrl.rows.map((r: { label: string; events: number }) => [r.label, r.events])).toEqual([
      ["GET https://shop.example/products/:id 500", 2],
      ["POST https://shop.example/cart 503", 1],
    ]);
    const byIssue = (await get("/api/stats/breakdown", `${DAY}&by=issue&visitorId=vC`)).json;
    expect(byIssue.total).toBe(2); // NetError #4 and ErrorClick #10 (Custom is not in the default kinds)
    const byCountry = (await get("/api/stats/breakdown", `${WEEK}&by=country&kind=JSError`)).json;
    expect(byCountry.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([
      ["PL", 2],
      ["DE", 1],
    ]);
  });
});

describe("filters on /api/issues and /api/visitors", () => {
  it("issues with a country (raw) and a url", async () => {
    const de = (await get("/api/issues", `${DAY}&country=DE`)).json.issues;
    expect(de.map((i: { title: string; events: number }) => [i.title, i.events]).sort()).toEqual([
      ["Buy failed", 1],
      ["Checkout", 2],
      ["GET https://shop.example/products/:id 500", 1],
      ["POST https://shop.example/cart 503", 1],
      ["TypeError: x is undefined", 1],
    ]);
    expect(de[0].title).toBe("Checkout");
    const products = (await get("/api/issues", `${WEEK}&url=${q(PRODUCTS)}`)).json.issues;
    expect(products.map((i: { title: string; events: number }) => [i.title, i.events])).toEqual([["GET https://shop.example/products/:id 500", 3]]);
    const pro = (await get("/api/issues", `${DAY}&prop=plan_str:pro&kind=Custom`)).json.issues;
    expect(pro.map((i: { title: string; events: number }) => [i.title, i.events])).toEqual([["Checkout", 2]]);
  });

  it("visitors with a country, a url, a kind and an issue", async () => {
    const rows = (r: { visitors: { id: string; errors: number; rageClicks: number }[] }) => r.visitors.map((v) => [v.id, v.errors, v.rageClicks]);
    expect(rows((await get("/api/visitors", `${DAY}&country=DE`)).json).sort()).toEqual([
      ["vB", 2, 0],
      ["vC", 2, 0],
    ]);
    expect(rows((await get("/api/visitors", `${WEEK}&url=${q(PRODUCTS)}`)).json).sort()).toEqual([
      ["vA", 1, 0],
      ["vB", 1, 0],
      ["vC", 1, 0],
    ]);
    expect(rows((await get("/api/visitors", `${DAY}&kind=RageClick`)).json)).toEqual([["vA", 0, 1]]);
    expect(rows((await get("/api/visitors", `${WEEK}&kind=JSError`)).json)).toEqual([
      ["vA", 2, 0],
      ["vB", 1, 0],
    ]);
    const typeError = await issueId("TypeError: x is undefined");
    expect(rows((await get("/api/visitors", `${WEEK}&issueId=${typeError}`)).json)).toEqual([
      ["vA", 2, 0],
      ["vB", 1, 0],
    ]);
  });
});

describe("filters on /api/events", () => {
  it("kind list, country, url and prop", async () => {
    const ids = async (query: string) => (await get("/api/events", query)).json.events.map((e: { occurredAt: string }) => e.occurredAt).sort();
    expect(await ids(`prop=items_int:3`)).toEqual(["2026-11-29T12:00:00.000Z", "2026-11-29T12:30:00.000Z"]);
    expect(await ids(`prop=plan_str:pro`)).toEqual(["2026-11-29T12:00:00.000Z", "2026-11-29T13:00:00.000Z"]);
    expect(await ids(`url=${q(PRODUCTS)}`)).toHaveLength(3);
    expect(await ids(`country=DE&kind=NetError,ErrorClick`)).toEqual([
      "2026-11-28T11:00:00.000Z",
      "2026-11-29T11:00:00.000Z",
      "2026-11-29T11:30:00.000Z",
      "2026-11-29T14:00:00.000Z",
    ]);
  });
});

describe("invalid filters", () => {
  it("answers 400 for a prop without a typed name or with a value of the wrong type", async () => {
    for (const prop of ["plan:pro", "plan_str", ":pro", "items_int:3.5", "items_int:abc", "beta_bool:yes", "price_float:NaN"]) {
      const { status, json } = await get("/api/stats/totals", `${DAY}&prop=${q(prop)}`);
      expect([prop, status]).toEqual([prop, 400]);
      expect(json.error.code).toBe("bad_request");
    }
    expect((await get("/api/stats/totals", `${DAY}&prop=${q("note_str:a:b")}`)).status).toBe(200);
    expect((await get("/api/issues", `${DAY}&kind=`)).status).toBe(400);
  });
});

describe("visitors over whole weeks and days", () => {
  const RANGE = "from=2026-11-14T00:00:00Z&to=2026-11-30T00:00:00Z";
  it("lists visitors with errors and rage clicks from the week and the days around it", async () => {
    const { json } = await get("/api/visitors", RANGE, "site-w");
    expect(json.visitors.map((v: { id: string; errors: number; rageClicks: number; frustration: number }) => [v.id, v.errors, v.rageClicks, v.frustration])).toEqual([
      ["vZ", 1, 1, 4],
      ["vX", 1, 1, 4],
      ["vY", 2, 0, 2],
    ]);
    const rage = (await get("/api/visitors", `${RANGE}&kind=RageClick`, "site-w")).json;
    expect(rage.visitors.map((v: { id: string }) => v.id)).toEqual(["vZ", "vX"]);
  });

  it("ranks visitors in the breakdown, with the rest per kind", async () => {
    const all = (await get("/api/stats/breakdown", `${RANGE}&by=visitor`, "site-w")).json;
    expect(all.total).toBe(6);
    expect(all.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([
      ["vX", 2],
      ["vY", 2],
      ["vZ", 2],
    ]);
    const top = (await get("/api/stats/breakdown", `${RANGE}&by=visitor&limit=1`, "site-w")).json;
    expect(top.rows).toEqual([{ key: "vX", label: "vX", events: 2, byKind: { JSError: 1, NetError: 0, ErrorClick: 0, RageClick: 1 } }]);
    expect(top.other).toEqual({ events: 4, byKind: { JSError: 1, NetError: 1, ErrorClick: 1, RageClick: 1 } });
    const custom = (await get("/api/stats/breakdown", `${RANGE}&by=visitor&kind=Custom`, "site-w")).json;
    expect(custom.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([["vW", 1]]);
    const one = (await get("/api/stats/breakdown", `${RANGE}&by=visitor&visitorId=vY`, "site-w")).json;
    expect(one.rows.map((r: { key: string; events: number }) => [r.key, r.events])).toEqual([["vY", 2]]);
    expect(one.total).toBe(2);
  });
});
