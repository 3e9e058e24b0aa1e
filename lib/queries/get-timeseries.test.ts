// Integration: GET /api/stats/timeseries on the real server, from rollups and from raw events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
let database: ScratchDatabase;
let server: AppServer;

const sends: [FixtureName, string, string][] = [
  ["js-error", "site-t", "2026-11-29T10:05:00Z"],
  ["js-error", "site-t", "2026-11-29T10:05:30Z"],
  ["js-error", "site-t", "2026-11-29T10:09:59Z"],
  ["net-error", "site-t", "2026-11-29T10:14:00Z"],
  ["js-error", "site-t", "2026-11-29T10:20:00Z"],
  ["js-error", "site-t", "2026-11-29T10:29:00Z"],
  ["rage-click", "site-t", "2026-11-29T11:59:00Z"],
  ["js-error", "site-other", "2026-11-29T10:05:00Z"],
  ["js-error", "site-t", "2026-11-27T10:05:00Z"],
];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  for (const [fixture, website, at] of sends) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      d.payload.time = seconds * 1000;
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function timeseries(query: string) {
  const response = await fetch(`${server.url}/api/stats/timeseries?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, json: await response.json() };
}

type Point = { t: string; values: Record<string, number> };
const nonZero = (points: Point[]) =>
  points.filter((p) => Object.values(p.values).some((v) => v > 0)).map((p) => [p.t, Object.fromEntries(Object.entries(p.values).filter(([, v]) => v > 0))]);

describe("GET /api/stats/timeseries", () => {
  it("counts a day in 15-minute buckets from the rollups, with empty buckets filled", async () => {
    const { status, json } = await timeseries("websiteId=site-t&from=2026-11-28T12:00:00Z&to=2026-11-29T12:00:00Z");
    expect(status).toBe(200);
    expect(json).toMatchObject({ bucketMinutes: 15, from: "2026-11-28T12:00:00.000Z", to: "2026-11-29T12:00:00.000Z", timeZone: "UTC" });
    expect(json.series).toEqual(["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]);
    expect(json.points).toHaveLength(96);
    expect(nonZero(json.points)).toEqual([
      ["2026-11-29T10:00:00.000Z", { JSError: 3, NetError: 1 }],
      ["2026-11-29T10:15:00.000Z", { JSError: 2 }],
      ["2026-11-29T11:45:00.000Z", { RageClick: 1 }],
    ]);
  });

  it("counts an hour in 1-minute buckets from raw events", async () => {
    const { json } = await timeseries("websiteId=site-t&from=2026-11-29T10:00:00Z&to=2026-11-29T11:00:00Z&kind=JSError");
    expect(json.bucketMinutes).toBe(1);
    expect(json.series).toEqual(["JSError"]);
    expect(json.points).toHaveLength(60);
    expect(nonZero(json.points)).toEqual([
      ["2026-11-29T10:05:00.000Z", { JSError: 2 }],
      ["2026-11-29T10:09:00.000Z", { JSError: 1 }],
      ["2026-11-29T10:20:00.000Z", { JSError: 1 }],
      ["2026-11-29T10:29:00.000Z", { JSError: 1 }],
    ]);
  });

  it("lines 6-hour buckets up with midnight in the viewer's time zone", async () => {
    const { json } = await timeseries("websiteId=site-t&from=2026-10-30T12:00:00Z&to=2026-11-29T12:00:00Z&tz=Asia/Kolkata");
    expect(json.bucketMinutes).toBe(360);
    // 12:00-18:00 in Kolkata is 06:30-12:30 UTC.
    expect(nonZero(json.points)).toEqual([
      ["2026-11-27T06:30:00.000Z", { JSError: 1 }],
      ["2026-11-29T06:30:00.000Z", { JSError: 5, NetError: 1, RageClick: 1 }],
    ]);
  });

  it("answers 400 for an unknown time zone or a range over 90 days, and 401 without credentials", async () => {
    expect((await timeseries("websiteId=site-t&tz=Mars/Olympus")).status).toBe(400);
    expect((await timeseries("websiteId=site-t&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status).toBe(400);
    expect((await timeseries("from=2026-11-29T00:00:00Z")).status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/stats/timeseries?websiteId=site-t`);
    expect(anonymous.status).toBe(401);
  });
});
