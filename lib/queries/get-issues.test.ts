// Integration: GET /api/issues on the real server, from the hourly issue rollup and from raw events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

const TYPE_ERROR = "TypeError: x is undefined";
const PRODUCTS = "GET https://api.x/products/:id 500";
const CART = "POST https://api.x/cart 503";
const PROGRESS = "Progress 100% done_ok";
// [fixture, time, visitor, fields]
const sends: [FixtureName, string, string, Record<string, unknown>][] = [
  ["js-error", "2026-11-27T10:00:00Z", "visitor-d", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:05:00Z", "visitor-a", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:10:00Z", "visitor-b", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:20:00Z", "visitor-a", { value: TYPE_ERROR }],
  ["net-error", "2026-11-29T11:05:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/1", status: 500 }],
  ["net-error", "2026-11-29T15:00:00Z", "visitor-d", { method: "GET", url: "https://api.x/products/2", status: 500 }],
  ["net-error", "2026-11-29T11:15:00Z", "visitor-b", { method: "POST", url: "https://api.x/cart", status: 503 }],
  ["error-click", "2026-11-29T12:00:00Z", "visitor-d", { messsage: "Buy failed" }],
  ["rage-click", "2026-11-29T12:30:00Z", "visitor-c", {}],
  ["custom", "2026-11-29T13:00:00Z", "visitor-a", { name: "Signup" }],
  ["js-error", "2026-11-29T16:00:00Z", "visitor-a", { value: PROGRESS }],
  ["js-error", "2026-11-20T10:00:00Z", "visitor-a", { value: "Old error" }],
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  const all = [...sends.map((s) => ["site-a", ...s] as const), ["site-other", "js-error", "2026-11-29T10:05:00Z", "visitor-a", { value: TYPE_ERROR }] as const];
  for (const [website, fixture, at, visitor, fields] of all) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      Object.assign(d.payload, fields, { time: seconds * 1000 });
      d.payload.visitor.id = visitor;
      if (visitor === "visitor-b") d.payload.visitor.geolocation.country_code = "DE";
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function issues(query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${server.url}/api/issues?${query}`, { headers });
  return { status: response.status, json: await response.json() };
}

type Issue = { id: string; kind: string; title: string; events: number; totalEvents: number; visitors: number; sparkline: number[] };
const DAY = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const titles = (list: Issue[]) => list.map((i) => i.title);
const spark = (parts: Record<number, number>) => Array.from({ length: 24 }, (_, i) => parts[i] ?? 0);
/** Ties go by id, descending (ids are signed 64-bit integers). */
const byIdDesc = (a: Issue, b: Issue) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1);

describe("GET /api/issues", () => {
  it("lists issues with events in the range, most events first, from the hourly rollup", async () => {
    const { status, json } = await issues(`${DAY}&limit=100`);
    expect(status).toBe(200);
    expect(json.nextCursor).toBeNull();
    expect(json.from).toBe("2026-11-29T00:00:00.000Z");
    const list: Issue[] = json.issues;
    expect(list.map((i) => [i.title, i.events])).toEqual([
      [TYPE_ERROR, 3],
      [PRODUCTS, 2],
      ...list.slice(2).map((i) => [i.title, 1]),
    ]);
    expect(titles(list.slice(2)).sort()).toEqual(["Buy failed", CART, PROGRESS, "Rage clicks", "Signup"].sort());
    expect(list.slice(2)).toEqual([...list.slice(2)].sort(byIdDesc));
    expect(list[0]).toEqual({
      id: expect.stringMatching(/^-?\d+$/),
      kind: "JSError",
      title: TYPE_ERROR,
      firstSeen: "2026-11-27T10:00:00.000Z",
      lastSeen: "2026-11-29T10:20:00.000Z",
      events: 3,
      totalEvents: 4,
      visitors: 3,
      status: "open",
      assignee: null,
      sparkline: spark({ 10: 3 }),
    });
    expect(list[1]!.sparkline).toEqual(spark({ 11: 1, 15: 1 }));
  });

  it("counts whole days from the daily rollup and the hours around them from the hourly one", async () => {
    // 11-26 09:00 to 11-29 13:00: the hours of 11-26 and 11-29, the whole days 11-27 and 11-28.
    const { json } = await issues("websiteId=site-a&from=2026-11-26T09:30:00Z&to=2026-11-29T12:30:00Z");
    expect([json.from, json.to]).toEqual(["2026-11-26T09:00:00.000Z", "2026-11-29T13:00:00.000Z"]);
    const list: Issue[] = json.issues;
    expect(list.map((i) => [i.title, i.events])).toEqual([[TYPE_ERROR, 4], ...list.slice(1).map((i) => [i.title, 1])]);
    expect(titles(list.slice(1)).sort()).toEqual(["Buy failed", CART, PRODUCTS, "Rage clicks"].sort());
    // 76 hours in 24 parts: 11-27 10:00 is in part 7, 11-29 10:00 in the last.
    expect(list[0]!.sparkline).toEqual(spark({ 7: 1, 23: 3 }));
  });

  it("sorts by last seen, first seen and all-time visitors", async () => {
    expect(titles((await issues(`${DAY}&sort=lastSeen`)).json.issues)).toEqual([PROGRESS, PRODUCTS, "Signup", "Rage clicks", "Buy failed", CART, TYPE_ERROR]);
    expect(titles((await issues(`${DAY}&sort=firstSeen`)).json.issues)).toEqual([PROGRESS, "Signup", "Rage clicks", "Buy failed", CART, PRODUCTS, TYPE_ERROR]);
    const byVisitors: Issue[] = (await issues(`${DAY}&sort=visitors`)).json.issues;
    expect(byVisitors.map((i) => [i.title, i.visitors]).slice(0, 2)).toEqual([[TYPE_ERROR, 3], [PRODUCTS, 2]]);
    expect(byVisitors.slice(2).every((i) => i.visitors === 1)).toBe(true);
  });

  it("filters by kind and searches titles with wildcards taken literally", async () => {
    expect(titles((await issues(`${DAY}&kind=NetError`)).json.issues)).toEqual([PRODUCTS, CART]);
    const two: Issue[] = (await issues(`${DAY}&kind=JSError,ErrorClick`)).json.issues;
    expect(two[0]!.title).toBe(TYPE_ERROR);
    expect(titles(two).sort()).toEqual(["Buy failed", PROGRESS, TYPE_ERROR].sort());
    expect(titles((await issues(`${DAY}&q=typeerror`)).json.issues)).toEqual([TYPE_ERROR]);
    expect(titles((await issues(`${DAY}&q=${encodeURIComponent("%")}`)).json.issues)).toEqual([PROGRESS]);
    expect(titles((await issues(`${DAY}&q=_`)).json.issues)).toEqual([PROGRESS]);
    expect(titles((await issues(`${DAY}&q=${encodeURIComponent("products/:id")}`)).json.issues)).toEqual([PRODUCTS]);
    expect((await issues(`${DAY}&q=nothing-like-this`)).json.issues).toEqual([]);
  });

  it("counts a short range from raw events with exact bounds and a fine sparkline", async () => {
    const { json } = await issues("websiteId=site-a&from=2026-11-29T10:00:00Z&to=2026-11-29T12:00:00Z");
    expect(json.from).toBe("2026-11-29T10:00:00.000Z");
    // 24 parts of 5 minutes.
    expect(json.issues.map((i: Issue) => [i.title, i.events, i.sparkline])).toEqual([
      [TYPE_ERROR, 3, spark({ 1: 1, 2: 1, 4: 1 })],
      ...json.issues.slice(1).map((i: Issue) => [i.title, 1, i.sparkline]),
    ]);
    const rest = Object.fromEntries(json.issues.slice(1).map((i: Issue) => [i.title, i.sparkline]));
    expect(rest).toEqual({ [PRODUCTS]: spark({ 13: 1 }), [CART]: spark({ 15: 1 }) });
  });

  it("widens a long range to whole hours", async () => {
    const { json } = await issues("websiteId=site-a&from=2026-11-29T10:30:00Z&to=2026-11-29T23:00:00Z&kind=JSError");
    expect(json.from).toBe("2026-11-29T10:00:00.000Z");
    expect(json.issues.map((i: Issue) => [i.title, i.events])).toEqual([[TYPE_ERROR, 3], [PROGRESS, 1]]);
  });

  it("counts one visitor's or one country's events from raw events", async () => {
    const alice = await issues(`${DAY}&visitorId=visitor-a`);
    expect(alice.json.issues.map((i: Issue) => [i.title, i.events])).toEqual([
      [TYPE_ERROR, 2],
      ...alice.json.issues.slice(1).map((i: Issue) => [i.title, 1]),
    ]);
    expect(titles(alice.json.issues.slice(1)).sort()).toEqual([PRODUCTS, PROGRESS, "Signup"].sort());
    const germany = await issues(`${DAY}&country=DE`);
    expect(germany.json.issues.map((i: Issue) => [i.title, i.events]).sort()).toEqual([[CART, 1], [TYPE_ERROR, 1]].sort());
  });

  it("pages with a cursor without gaps or repeats, for every sort", async () => {
    for (const sort of ["events", "lastSeen", "firstSeen", "visitors"]) {
      const all: Issue[] = (await issues(`${DAY}&sort=${sort}&limit=100`)).json.issues;
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const { json }: { json: { issues: Issue[]; nextCursor: string | null } } = await issues(
          `${DAY}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(json.issues.length).toBeLessThanOrEqual(2);
        seen.push(...json.issues.map((i) => i.id));
        cursor = json.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual(all.map((i) => i.id));
    }
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await issues(`${DAY}&sort=title`)).status).toBe(400);
    expect((await issues(`${DAY}&limit=101`)).status).toBe(400);
    expect((await issues(`${DAY}&cursor=not-a-cursor`)).status).toBe(400);
    const cursor = (await issues(`${DAY}&limit=1`)).json.nextCursor;
    expect((await issues(`${DAY}&limit=1&sort=lastSeen&cursor=${cursor}`)).status).toBe(400);
    expect((await issues("from=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await issues(`${DAY}`, {})).status).toBe(401);
  });
});
