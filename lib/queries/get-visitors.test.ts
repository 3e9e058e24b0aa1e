// Integration: GET /api/visitors on the real server, from the daily visitor rollup.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

type Who = { id: string; name: string | null; email: string | null; country: string | null; city: string | null };
const A: Who = { id: "visitor-a", name: "Alice", email: "alice@example.test", country: "PL", city: "Wroclaw" };
const B: Who = { id: "visitor-b", name: "Bob", email: "bob@example.test", country: "DE", city: "Berlin" };
const C: Who = { id: "visitor-c", name: null, email: "carol@example.test", country: null, city: null };
const D: Who = { id: "visitor-d", name: "Dan", email: null, country: "PL", city: null };
const E: Who = { id: "visitor-e", name: "Eve", email: null, country: "FR", city: null };
const F: Who = { id: "visitor-f_100%", name: "Fred", email: null, country: "US", city: "Austin" };

const sends: [FixtureName, string, Who][] = [
  ["js-error", "2026-11-29T10:00:00Z", A],
  ["js-error", "2026-11-29T10:30:00Z", A],
  ["rage-click", "2026-11-29T11:00:00Z", A],
  ["custom", "2026-11-29T15:00:00Z", A],
  ["net-error", "2026-11-29T09:00:00Z", B],
  ["net-error", "2026-11-29T09:10:00Z", B],
  ["net-error", "2026-11-29T09:20:00Z", B],
  ["net-error", "2026-11-29T14:00:00Z", B],
  ["rage-click", "2026-11-29T12:00:00Z", C],
  ["rage-click", "2026-11-29T13:00:00Z", C],
  ["js-error", "2026-11-27T08:00:00Z", D],
  ["error-click", "2026-11-29T12:00:00Z", D],
  ["custom", "2026-11-29T12:00:00Z", E],
  ["js-error", "2026-11-29T16:00:00Z", F],
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  const all = [...sends.map((s) => ["site-a", ...s] as const), ["site-other", "rage-click", "2026-11-29T10:00:00Z", B] as const];
  for (const [website, fixture, at, who] of all) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      d.payload.time = seconds * 1000;
      d.payload.visitor = { id: who.id, name: who.name, email: who.email, geolocation: { country_code: who.country, city: who.city } };
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function visitors(query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${server.url}/api/visitors?${query}`, { headers });
  return { status: response.status, json: await response.json() };
}

type Visitor = { id: string; errors: number; rageClicks: number; frustration: number };
const DAY = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const ids = (list: Visitor[]) => list.map((v) => v.id);

describe("GET /api/visitors", () => {
  it("ranks visitors with errors or rage clicks by frustration (errors + 3 × rage clicks)", async () => {
    const { status, json } = await visitors(DAY);
    expect(status).toBe(200);
    expect(json.from).toBe("2026-11-29T00:00:00.000Z");
    expect(json.to).toBe("2026-11-30T00:00:00.000Z");
    expect(json.nextCursor).toBeNull();
    expect(json.visitors.map((v: Visitor) => [v.id, v.errors, v.rageClicks, v.frustration])).toEqual([
      ["visitor-c", 0, 2, 6],
      ["visitor-a", 2, 1, 5],
      ["visitor-b", 4, 0, 4],
      ["visitor-f_100%", 1, 0, 1],
      ["visitor-d", 1, 0, 1],
    ]);
    expect(json.visitors[1]).toEqual({
      id: "visitor-a",
      name: "Alice",
      email: "alice@example.test",
      countryCode: "PL",
      city: "Wroclaw",
      lastSeen: "2026-11-29T15:00:00.000Z",
      errors: 2,
      rageClicks: 1,
      frustration: 5,
    });
    expect(json.visitors[0]).toMatchObject({ name: null, email: "carol@example.test", countryCode: null, city: null });
  });

  it("sorts by errors and by last seen", async () => {
    expect(ids((await visitors(`${DAY}&sort=errors`)).json.visitors)).toEqual(["visitor-b", "visitor-a", "visitor-f_100%", "visitor-d", "visitor-c"]);
    expect(ids((await visitors(`${DAY}&sort=lastSeen`)).json.visitors)).toEqual(["visitor-f_100%", "visitor-a", "visitor-b", "visitor-c", "visitor-d"]);
  });

  it("widens the range to whole UTC days", async () => {
    const { json } = await visitors("websiteId=site-a&from=2026-11-29T12:00:00Z&to=2026-11-29T18:00:00Z&sort=errors");
    expect(json.from).toBe("2026-11-29T00:00:00.000Z");
    expect(json.to).toBe("2026-11-30T00:00:00.000Z");
    expect(json.visitors.map((v: Visitor) => [v.id, v.errors])).toEqual([
      ["visitor-b", 4],
      ["visitor-a", 2],
      ["visitor-f_100%", 1],
      ["visitor-d", 1],
      ["visitor-c", 0],
    ]);
    const three = await visitors("websiteId=site-a&from=2026-11-27T00:00:00Z&to=2026-11-30T00:00:00Z&sort=errors");
    expect(three.json.visitors.find((v: Visitor) => v.id === "visitor-d").errors).toBe(2);
    const before = await visitors("websiteId=site-a&from=2026-11-27T06:00:00Z&to=2026-11-27T07:00:00Z");
    expect(before.json.visitors.map((v: Visitor) => [v.id, v.errors])).toEqual([["visitor-d", 1]]);
  });

  it("searches name, email and id, with wildcards taken literally", async () => {
    expect(ids((await visitors(`${DAY}&q=ALICE`)).json.visitors)).toEqual(["visitor-a"]);
    expect(ids((await visitors(`${DAY}&q=carol%40`)).json.visitors)).toEqual(["visitor-c"]);
    expect(ids((await visitors(`${DAY}&q=${encodeURIComponent("f_100%")}`)).json.visitors)).toEqual(["visitor-f_100%"]);
    expect(ids((await visitors(`${DAY}&q=${encodeURIComponent("%")}`)).json.visitors)).toEqual(["visitor-f_100%"]);
    expect(ids((await visitors(`${DAY}&q=_`)).json.visitors)).toEqual(["visitor-f_100%"]);
    expect(ids((await visitors(`${DAY}&q=eve`)).json.visitors)).toEqual([]);
  });

  it("pages with a cursor without gaps or repeats, for every sort", async () => {
    for (const sort of ["frustration", "errors", "lastSeen"]) {
      const all: Visitor[] = (await visitors(`${DAY}&sort=${sort}`)).json.visitors;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const { json }: { json: { visitors: Visitor[]; nextCursor: string | null } } = await visitors(
          `${DAY}&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        seen.push(...ids(json.visitors));
        cursor = json.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids(all));
      expect(seen).toHaveLength(5);
    }
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await visitors(`${DAY}&sort=name`)).status).toBe(400);
    expect((await visitors(`${DAY}&limit=0`)).status).toBe(400);
    expect((await visitors(`${DAY}&cursor=xyz`)).status).toBe(400);
    const cursor = (await visitors(`${DAY}&limit=1`)).json.nextCursor;
    expect((await visitors(`${DAY}&limit=1&sort=errors&cursor=${cursor}`)).status).toBe(400);
    expect((await visitors("from=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await visitors("websiteId=site-a&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status).toBe(400);
    expect((await visitors(DAY, {})).status).toBe(401);
  });
});
