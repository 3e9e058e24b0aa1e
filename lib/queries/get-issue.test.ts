// Integration: GET /api/issues/:id and its trend, URLs, correlations and events, on the real server.
import { beforeAll, describe, expect, it } from "vitest";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { apiTestServer, TEST_TOKEN as TOKEN } from "../testing/api-server";

const app = apiTestServer();
const { get } = app;

const TYPE_ERROR = "TypeError: x is undefined";
const PRODUCTS = "GET https://api.x/products/:id 500";
const PAGE_ERROR = "Checkout failed";

// Each visitor's params (the same on every event of theirs); visitor-b is in Germany, the rest in Poland.
const PARAMS: Record<string, { name: string; value: unknown }[]> = {
  "visitor-a": [{ name: "plan", value: "pro" }, { name: "browser", value: "Chrome" }, { name: "beta", value: true }],
  "visitor-b": [{ name: "plan", value: "pro" }, { name: "browser", value: "Firefox" }, { name: "beta", value: true }],
  "visitor-c": [{ name: "plan", value: "free" }, { name: "browser", value: "Chrome" }, { name: "beta", value: true }],
  "visitor-d": [{ name: "plan", value: "free" }, { name: "browser", value: "Chrome" }],
  "visitor-e": [{ name: "plan", value: "free" }, { name: "browser", value: "Chrome" }],
  "visitor-f": [{ name: "plan", value: "free" }, { name: "browser", value: "Safari" }],
  "visitor-g": [{ name: "plan", value: "pro" }, { name: "browser", value: "Chrome" }],
};

// [fixture, time, visitor, fields]
const sends: [FixtureName, string, string, Record<string, unknown>][] = [
  ["js-error", "2026-11-27T10:00:00Z", "visitor-d", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:05:00Z", "visitor-a", { value: TYPE_ERROR, release: "1.2.3" }],
  ["js-error", "2026-11-29T10:10:00Z", "visitor-b", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T10:20:00Z", "visitor-a", { value: TYPE_ERROR }],
  ["js-error", "2026-11-29T14:30:00Z", "visitor-c", { value: TYPE_ERROR }],
  ["net-error", "2026-11-29T11:05:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/1?x=1", status: 500 }],
  ["net-error", "2026-11-29T11:10:00Z", "visitor-b", { method: "GET", url: "https://api.x/products/2", status: 500 }],
  ["net-error", "2026-11-29T15:00:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/1?x=1", status: 500 }],
  // A page URL in the payload (not in LiveSession's documented JSError, but kept if sent).
  ["js-error", "2026-11-29T12:00:00Z", "visitor-c", { value: PAGE_ERROR, url: "https://shop.example/checkout?step=2" }],
  ["js-error", "2026-11-29T12:10:00Z", "visitor-c", { value: PAGE_ERROR }],
  ["custom", "2026-11-29T12:00:00Z", "visitor-d", { name: "Signup" }],
  ["custom", "2026-11-29T12:00:00Z", "visitor-e", { name: "Signup" }],
  ["custom", "2026-11-29T12:00:00Z", "visitor-f", { name: "Signup" }],
  ["custom", "2026-11-29T12:00:00Z", "visitor-g", { name: "Signup" }],
];

const ids: Record<string, string> = {};
let otherSiteIssue = "";

beforeAll(async () => {
  const all = [...sends.map((s) => ["site-a", ...s] as const), ["site-other", "js-error", "2026-11-29T10:05:00Z", "visitor-a", { value: TYPE_ERROR }] as const];
  for (const [website, fixture, at, visitor, fields] of all) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      Object.assign(d.payload, fields, { time: seconds * 1000 });
      d.payload.visitor.id = visitor;
      d.payload.visitor.name = `Name ${visitor}`;
      d.payload.visitor.params = PARAMS[visitor];
      if (visitor === "visitor-b") d.payload.visitor.geolocation = { country_code: "DE", city: "Berlin", region: "Berlin" };
    });
    expect((await postWebhook(app.url, body)).status).toBe(200);
  }
  const list = await get("/api/issues?websiteId=site-a&from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z&limit=100");
  for (const issue of list.json.issues) ids[issue.title] = issue.id;
  otherSiteIssue = (await get("/api/issues?websiteId=site-other&from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z")).json.issues[0].id;
});


const DAY = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const WEEK = "websiteId=site-a&from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z";

describe("GET /api/issues/:id", () => {
  it("answers the issue's summary", async () => {
    const { status, json } = await get(`/api/issues/${ids[TYPE_ERROR]}?websiteId=site-a`);
    expect(status).toBe(200);
    expect(json).toEqual({
      issue: {
        id: ids[TYPE_ERROR],
        websiteId: "site-a",
        kind: "JSError",
        title: TYPE_ERROR,
        firstSeen: "2026-11-27T10:00:00.000Z",
        lastSeen: "2026-11-29T14:30:00.000Z",
        totalEvents: 5,
        visitors: 4,
        status: "open",
        ignore: null,
        statusChangedAt: null,
        assignee: null,
        mergedInto: null,
        mergedFrom: [],
      },
    });
  });

  it("answers 404 for an unknown id, a malformed id, or another website's issue, on every sub-resource", async () => {
    for (const suffix of ["", "/trend", "/urls", "/correlations", "/events"]) {
      for (const [id, website] of [
        ["123", "site-a"],
        ["abc", "site-a"],
        [otherSiteIssue, "site-a"],
        [ids[TYPE_ERROR], "site-other"],
      ] as const) {
        const { status, json } = await get(`/api/issues/${id}${suffix}?websiteId=${website}`);
        expect(status, `${id}${suffix} in ${website}`).toBe(404);
        expect(json.error.code).toBe("not_found");
      }
    }
    // The other website's issue is there, in its own website.
    expect((await get(`/api/issues/${otherSiteIssue}?websiteId=site-other`)).json.issue.totalEvents).toBe(1);
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    const id = ids[TYPE_ERROR];
    expect((await get(`/api/issues/${id}`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/trend?websiteId=site-a&from=yesterday`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/trend?${DAY}&tz=Mars/Olympus`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/trend?websiteId=site-a&from=2026-01-01T00:00:00Z&to=2026-11-30T00:00:00Z`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/urls?${DAY}&limit=0`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/correlations?${DAY}&minVisitors=0`)).status).toBe(400);
    expect((await get(`/api/issues/${id}/events?${DAY}&limit=101`)).status).toBe(400);
    const bad = await get(`/api/issues/${id}/events?${DAY}&cursor=nope`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("bad_request");
    for (const suffix of ["", "/trend", "/urls", "/correlations", "/events"]) {
      expect((await get(`/api/issues/${id}${suffix}?${DAY}`, {})).status).toBe(401);
    }
  });
});

describe("GET /api/issues/:id/trend", () => {
  type Trend = { bucketMinutes: number; from: string; to: string; total: number; points: { t: string; events: number }[] };
  const nonZero = (trend: Trend) => Object.fromEntries(trend.points.filter((p) => p.events > 0).map((p) => [p.t, p.events]));

  it("counts a day in 15-minute buckets from raw events", async () => {
    const trend: Trend = (await get(`/api/issues/${ids[TYPE_ERROR]}/trend?${DAY}&tz=UTC`)).json;
    expect(trend.bucketMinutes).toBe(15);
    expect(trend.points).toHaveLength(96);
    expect(trend.total).toBe(4);
    expect(nonZero(trend)).toEqual({ "2026-11-29T10:00:00.000Z": 2, "2026-11-29T10:15:00.000Z": 1, "2026-11-29T14:30:00.000Z": 1 });
  });

  it("counts a week in hours from the rollup, and in a half-hour zone from raw events", async () => {
    const utc: Trend = (await get(`/api/issues/${ids[TYPE_ERROR]}/trend?${WEEK}&tz=UTC`)).json;
    expect(utc.bucketMinutes).toBe(60);
    expect(utc.points).toHaveLength(168);
    expect(nonZero(utc)).toEqual({ "2026-11-27T10:00:00.000Z": 1, "2026-11-29T10:00:00.000Z": 3, "2026-11-29T14:00:00.000Z": 1 });
    const india: Trend = (await get(`/api/issues/${ids[TYPE_ERROR]}/trend?${WEEK}&tz=Asia/Kolkata`)).json;
    expect(india.from).toBe("2026-11-22T23:30:00.000Z");
    expect(india.total).toBe(5);
    expect(nonZero(india)).toEqual({ "2026-11-27T09:30:00.000Z": 1, "2026-11-29T09:30:00.000Z": 3, "2026-11-29T14:30:00.000Z": 1 });
  });
});

describe("GET /api/issues/:id/urls", () => {
  it("lists a NetError issue's request URLs with events and visitors, the rest as other", async () => {
    const { json } = await get(`/api/issues/${ids[PRODUCTS]}/urls?${DAY}`);
    expect(json).toEqual({
      from: "2026-11-29T00:00:00.000Z",
      to: "2026-11-30T00:00:00.000Z",
      total: 3,
      rows: [
        { url: "https://api.x/products/1?x=1", events: 2, visitors: 1 },
        { url: "https://api.x/products/2", events: 1, visitors: 1 },
      ],
      other: { events: 0 },
      unknown: { events: 0, visitors: 0 },
      sampled: false,
    });
    const top1 = (await get(`/api/issues/${ids[PRODUCTS]}/urls?${DAY}&limit=1`)).json;
    expect(top1.rows).toEqual([{ url: "https://api.x/products/1?x=1", events: 2, visitors: 1 }]);
    expect(top1.other).toEqual({ events: 1 });
  });

  it("uses a page URL when the delivery has one and counts the rest as unknown", async () => {
    const page = (await get(`/api/issues/${ids[PAGE_ERROR]}/urls?${DAY}`)).json;
    expect(page.rows).toEqual([{ url: "https://shop.example/checkout?step=2", events: 1, visitors: 1 }]);
    expect(page.unknown).toEqual({ events: 1, visitors: 1 });
    const js = (await get(`/api/issues/${ids[TYPE_ERROR]}/urls?${DAY}`)).json;
    expect(js.rows).toEqual([]);
    expect(js.unknown).toEqual({ events: 4, visitors: 3 });
  });
});

describe("GET /api/issues/:id/correlations", () => {
  it("compares affected visitors' params with all active visitors'", async () => {
    const { json } = await get(`/api/issues/${ids[TYPE_ERROR]}/correlations?${DAY}&minVisitors=2`);
    expect(json.affectedVisitors).toBe(3);
    expect(json.visitors).toBe(7);
    expect(json.minVisitors).toBe(2);
    expect(json.sampled).toBe(false);
    expect(json.params.map((p: { name: string; value: string; affected: number; overall: number }) => [p.name, p.value, p.affected, p.overall])).toEqual([
      ["beta", "true", 3, 3],
      ["plan", "pro", 2, 3],
      ["browser", "Chrome", 2, 5],
    ]);
    const [beta, pro, chrome] = json.params;
    expect(beta.affectedShare).toBe(1);
    expect(beta.overallShare).toBeCloseTo(3 / 7, 10);
    expect(beta.lift).toBeCloseTo(7 / 3, 10);
    expect(pro.lift).toBeCloseTo(14 / 9, 10);
    expect(chrome.lift).toBeCloseTo(14 / 15, 10);
  });

  it("lists only values with enough support (3 affected visitors by default), over the range", async () => {
    const day = (await get(`/api/issues/${ids[TYPE_ERROR]}/correlations?${DAY}`)).json;
    expect(day.params.map((p: { name: string; value: string }) => `${p.name}=${p.value}`)).toEqual(["beta=true"]);
    // Over the week visitor-d (free, Chrome, no beta) is affected too.
    const week = (await get(`/api/issues/${ids[TYPE_ERROR]}/correlations?${WEEK}`)).json;
    expect(week.affectedVisitors).toBe(4);
    expect(week.visitors).toBe(7);
    expect(week.params.map((p: { name: string; value: string; affected: number }) => [`${p.name}=${p.value}`, p.affected])).toEqual([
      ["beta=true", 3],
      ["browser=Chrome", 3],
    ]);
  });
});

describe("GET /api/issues/:id/events", () => {
  it("pages the issue's events newest first with their details", async () => {
    const first = (await get(`/api/issues/${ids[TYPE_ERROR]}/events?${DAY}&limit=2`)).json;
    expect(first.events.map((e: { occurredAt: string; visitor: { id: string } }) => [e.occurredAt, e.visitor.id])).toEqual([
      ["2026-11-29T14:30:00.000Z", "visitor-c"],
      ["2026-11-29T10:20:00.000Z", "visitor-a"],
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(`/api/issues/${ids[TYPE_ERROR]}/events?${DAY}&limit=2&cursor=${first.nextCursor}`)).json;
    expect(second.nextCursor).toBeNull();
    expect(second.events.map((e: { occurredAt: string }) => e.occurredAt)).toEqual(["2026-11-29T10:10:00.000Z", "2026-11-29T10:05:00.000Z"]);
    const [berlin, release] = second.events;
    expect(berlin).toMatchObject({
      kind: "JSError",
      message: TYPE_ERROR,
      count: 1,
      visitor: { id: "visitor-b", name: "Name visitor-b", email: "john.doe@livesession.io" },
      countryCode: "DE",
      city: "Berlin",
      url: null,
      extra: {},
    });
    expect(release.extra).toEqual({ release: "1.2.3" });
  });

  it("shows a NetError's request", async () => {
    const { json } = await get(`/api/issues/${ids[PRODUCTS]}/events?${DAY}&limit=1`);
    expect(json.events).toHaveLength(1);
    expect(json.events[0]).toMatchObject({
      kind: "NetError",
      occurredAt: "2026-11-29T15:00:00.000Z",
      method: "GET",
      url: "https://api.x/products/1?x=1",
      urlTemplate: "https://api.x/products/:id",
      status: 500,
      message: null,
    });
  });
});

describe("exports", () => {
  it("downloads every page of an issue's events as CSV, and its correlations as JSON", async () => {
    const csv = await fetch(`${app.url}/api/issues/${ids[TYPE_ERROR]}/events?${DAY}&limit=1&format=csv`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines).toHaveLength(5);
    const header = lines[0]!.split(",");
    expect(header).toEqual(expect.arrayContaining(["messageId", "occurredAt", "visitor.id", "message", "extra"]));
    const at = header.indexOf("occurredAt");
    expect(lines.slice(1).map((line) => line.split(",")[at])).toEqual([
      "2026-11-29T14:30:00.000Z",
      "2026-11-29T10:20:00.000Z",
      "2026-11-29T10:10:00.000Z",
      "2026-11-29T10:05:00.000Z",
    ]);
    const json = await get(`/api/issues/${ids[TYPE_ERROR]}/correlations?${DAY}&minVisitors=2&format=json`);
    expect(json.json.map((p: { name: string; value: string }) => `${p.name}=${p.value}`)).toEqual(["beta=true", "plan=pro", "browser=Chrome"]);
    const urls = await get(`/api/issues/${ids[PRODUCTS]}/urls?${DAY}&format=json`);
    expect(urls.json).toEqual([
      { url: "https://api.x/products/1?x=1", events: 2, visitors: 1 },
      { url: "https://api.x/products/2", events: 1, visitors: 1 },
    ]);
    expect((await get(`/api/issues/${ids[PRODUCTS]}/urls?${DAY}&format=xml`)).status).toBe(400);
  });
});
