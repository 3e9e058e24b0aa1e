// Integration: GET /api/stats/totals on the real server, from rollups and from raw events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

// [fixture, website, time, visitor]
const sends: [FixtureName, string, string, string][] = [
  ["js-error", "site-a", "2026-11-29T10:05:00Z", "v1"],
  ["js-error", "site-a", "2026-11-29T10:06:00Z", "v1"],
  ["net-error", "site-a", "2026-11-29T11:00:00Z", "v2"],
  ["error-click", "site-a", "2026-11-29T12:00:00Z", "v3"],
  ["rage-click", "site-a", "2026-11-29T13:00:00Z", "v1"],
  ["custom", "site-a", "2026-11-29T14:00:00Z", "v4"],
  ["js-error", "site-a", "2026-11-29T23:59:59Z", "v5"],
  ["js-error", "site-a", "2026-11-30T00:00:00Z", "v6"],
  ["js-error", "site-a", "2026-11-28T09:00:00Z", "v7"],
  ["net-error", "site-a", "2026-11-28T09:30:00Z", "v7"],
  ["custom", "site-a", "2026-11-27T12:00:00Z", "v8"],
  ["js-error", "site-a", "2026-11-26T01:00:00Z", "v9"],
  ["js-error", "site-b", "2026-11-29T10:05:00Z", "v1"],
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  for (const [fixture, website, at, visitor] of sends) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      d.payload.time = seconds * 1000;
      d.payload.visitor.id = visitor;
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function totals(query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${server.url}/api/stats/totals?${query}`, { headers });
  return { status: response.status, json: await response.json() };
}

const figures = (f: Partial<Record<string, number>>) => ({
  JSError: 0,
  NetError: 0,
  ErrorClick: 0,
  RageClick: 0,
  Custom: 0,
  affectedVisitors: 0,
  ...f,
});

describe("GET /api/stats/totals", () => {
  it("counts a day from the 15-minute rollup, with the day before as the previous period", async () => {
    const { status, json } = await totals("websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z");
    expect(status).toBe(200);
    expect(json).toEqual({
      from: "2026-11-29T00:00:00.000Z",
      to: "2026-11-30T00:00:00.000Z",
      previousFrom: "2026-11-28T00:00:00.000Z",
      previousTo: "2026-11-29T00:00:00.000Z",
      visitorsFrom: "2026-11-29T00:00:00.000Z",
      visitorsTo: "2026-11-30T00:00:00.000Z",
      previousVisitorsFrom: "2026-11-28T00:00:00.000Z",
      previousVisitorsTo: "2026-11-29T00:00:00.000Z",
      // v4 only sent a Custom event: not affected.
      current: figures({ JSError: 3, NetError: 1, ErrorClick: 1, RageClick: 1, Custom: 1, affectedVisitors: 4 }),
      previous: figures({ JSError: 1, NetError: 1, affectedVisitors: 1 }),
    });
  });

  it("widens a long range to whole 15-minute buckets and takes the previous period before that", async () => {
    const { json } = await totals("websiteId=site-a&from=2026-11-29T10:07:00Z&to=2026-11-29T23:50:00Z");
    expect(json.from).toBe("2026-11-29T10:00:00.000Z");
    expect(json.to).toBe("2026-11-30T00:00:00.000Z");
    expect(json.previousFrom).toBe("2026-11-28T20:00:00.000Z");
    expect(json.previousTo).toBe("2026-11-29T10:00:00.000Z");
    expect(json.current).toEqual(figures({ JSError: 3, NetError: 1, ErrorClick: 1, RageClick: 1, Custom: 1, affectedVisitors: 4 }));
    expect(json.previous).toEqual(figures({}));
  });

  it("counts a range of 6 hours or less from raw events with its exact bounds", async () => {
    const { json } = await totals("websiteId=site-a&from=2026-11-29T10:05:30Z&to=2026-11-29T13:00:00Z");
    expect(json).toEqual({
      from: "2026-11-29T10:05:30.000Z",
      to: "2026-11-29T13:00:00.000Z",
      previousFrom: "2026-11-29T07:11:00.000Z",
      previousTo: "2026-11-29T10:05:30.000Z",
      visitorsFrom: "2026-11-29T10:05:30.000Z",
      visitorsTo: "2026-11-29T13:00:00.000Z",
      previousVisitorsFrom: "2026-11-29T07:11:00.000Z",
      previousVisitorsTo: "2026-11-29T10:05:30.000Z",
      // 10:05:00 is in the previous period, the rage click at 13:00 after the end.
      current: figures({ JSError: 1, NetError: 1, ErrorClick: 1, affectedVisitors: 3 }),
      previous: figures({ JSError: 1, affectedVisitors: 1 }),
    });
  });

  it("counts affected visitors over whole hours from the presence bits for ranges over 6 hours", async () => {
    const { json } = await totals("websiteId=site-a&from=2026-11-28T12:00:00Z&to=2026-11-30T12:00:00Z");
    expect(json.from).toBe("2026-11-28T12:00:00.000Z");
    expect(json.previousFrom).toBe("2026-11-26T12:00:00.000Z");
    expect([json.visitorsFrom, json.visitorsTo]).toEqual(["2026-11-28T12:00:00.000Z", "2026-11-30T12:00:00.000Z"]);
    // v1, v2, v3, v5, v6 (v7's errors at 11-28 09:00 and 09:30 are before the range; v4 and v8 sent Custom events only).
    expect(json.current).toEqual(figures({ JSError: 4, NetError: 1, ErrorClick: 1, RageClick: 1, Custom: 1, affectedVisitors: 5 }));
    // v7 (v9's error at 11-26 01:00 is before the previous period).
    expect(json.previous).toEqual(figures({ JSError: 1, NetError: 1, Custom: 1, affectedVisitors: 1 }));
  });

  it("widens affected visitors to whole hours when the counts are in 15-minute buckets", async () => {
    const { json } = await totals("websiteId=site-a&from=2026-11-29T10:06:00Z&to=2026-11-29T23:59:00Z");
    expect([json.from, json.to]).toEqual(["2026-11-29T10:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect([json.visitorsFrom, json.visitorsTo]).toEqual(["2026-11-29T10:00:00.000Z", "2026-11-30T00:00:00.000Z"]);
    expect([json.previousVisitorsFrom, json.previousVisitorsTo]).toEqual(["2026-11-28T20:00:00.000Z", "2026-11-29T10:00:00.000Z"]);
    expect(json.current.affectedVisitors).toBe(4);
  });

  it("counts affected visitors of some kinds from the per-kind presence bits", async () => {
    const { json } = await totals("websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&kind=JSError");
    // v1 (10:05, 10:06) and v5 (23:59:59); the day before, v7.
    expect(json.current).toEqual(figures({ JSError: 3, affectedVisitors: 2 }));
    expect(json.previous).toEqual(figures({ JSError: 1, affectedVisitors: 1 }));
    const two = await totals("websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&kind=NetError,RageClick,Custom");
    // v2 (NetError), v1 (RageClick); v4 sent a Custom event only.
    expect(two.json.current).toEqual(figures({ NetError: 1, RageClick: 1, Custom: 1, affectedVisitors: 2 }));
    const custom = await totals("websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&kind=Custom");
    expect(custom.json.current).toEqual(figures({ Custom: 1 }));
  });

  it("counts affected visitors in one country from the per-country presence bits", async () => {
    // v2 again, from Germany (every other event is from Poland); added last so the tests above keep their figures.
    const { body } = delivery("js-error", (d) => {
      d.website_id = "site-a";
      d.created_at = Date.parse("2026-11-29T15:00:00Z") / 1000;
      d.payload.time = Date.parse("2026-11-29T15:00:00Z");
      d.payload.visitor.id = "v2";
      d.payload.visitor.geolocation.country_code = "DE";
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
    const range = "websiteId=site-a&from=2026-11-28T12:00:00Z&to=2026-11-30T12:00:00Z";
    const de = await totals(`${range}&country=DE`);
    expect(de.json.current).toEqual(figures({ JSError: 1, affectedVisitors: 1 }));
    expect(de.json.previous).toEqual(figures({}));
    const pl = await totals(`${range}&country=PL`);
    // v1, v2, v3, v5, v6 from Poland; the previous period v7.
    expect(pl.json.current).toEqual(figures({ JSError: 4, NetError: 1, ErrorClick: 1, RageClick: 1, Custom: 1, affectedVisitors: 5 }));
    expect(pl.json.previous).toEqual(figures({ JSError: 1, NetError: 1, Custom: 1, affectedVisitors: 1 }));
    // Some kinds in one country: raw events, the same answer.
    expect((await totals(`${range}&country=DE&kind=JSError,RageClick`)).json.current).toEqual(figures({ JSError: 1, affectedVisitors: 1 }));
    expect((await totals(`${range}&country=`)).json.current).toEqual(figures({}));
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await totals("from=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await totals("websiteId=site-a&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status).toBe(400);
    expect((await totals("websiteId=site-a&from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await totals("websiteId=site-a&from=yesterday")).status).toBe(400);
    const anonymous = await totals("websiteId=site-a", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("unauthorized");
  });
});
