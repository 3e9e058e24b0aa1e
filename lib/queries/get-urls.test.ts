// Integration: GET /api/urls and GET /api/urls/:id on the real server, from the hourly issue
// rollup (a day) and from raw events (2 hours, or a country filter).
import { beforeAll, describe, expect, it } from "vitest";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { apiTestServer, TEST_TOKEN as TOKEN } from "../testing/api-server";
import { setDatabaseUrl } from "../env";
import { templateOf, urlId } from "./get-urls";
import { getUrlDetail, urlQuery } from "./get-urls-detail";

const app = apiTestServer();
const { get } = app;

const PRODUCTS = "https://api.x/products/:id";
const CART = "https://api.x/cart";
const COUNTRY: Record<string, string> = { "visitor-a": "PL", "visitor-b": "DE", "visitor-c": "US", "visitor-d": "PL", "visitor-e": "PL" };
// [website, fixture, time, visitor, fields]
const sends: [string, FixtureName, string, string, Record<string, unknown>][] = [
  ["site-a", "net-error", "2026-11-28T10:05:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/1", status: 500 }],
  ["site-a", "net-error", "2026-11-28T10:20:00Z", "visitor-b", { method: "GET", url: "https://api.x/products/2", status: 500 }],
  ["site-a", "net-error", "2026-11-28T11:10:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/3", status: 404 }],
  ["site-a", "net-error", "2026-11-28T14:00:00Z", "visitor-c", { method: "GET", url: "https://api.x/products/4?q=1", status: 503 }],
  ["site-a", "net-error", "2026-11-28T10:30:00Z", "visitor-b", { method: "POST", url: "https://api.x/cart", status: 503 }],
  ["site-a", "net-error", "2026-11-28T12:45:00Z", "visitor-c", { method: "POST", url: "https://api.x/cart", status: 503 }],
  ["site-a", "net-error", "2026-11-28T13:00:00Z", "visitor-d", { method: "post", url: "https://api.x/products/9", status: 500 }],
  ["site-a", "net-error", "2026-11-27T09:00:00Z", "visitor-e", { method: "GET", url: "https://api.x/products/5", status: 500 }],
  ["site-a", "js-error", "2026-11-28T10:00:00Z", "visitor-a", { value: "TypeError: https://api.x/cart" }],
  ["site-other", "net-error", "2026-11-28T10:05:00Z", "visitor-a", { method: "GET", url: "https://api.x/products/1", status: 500 }],
];

beforeAll(async () => {
  for (const [website, fixture, at, visitor, fields] of sends) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      Object.assign(d.payload, fields, { time: seconds * 1000 });
      d.payload.visitor.id = visitor;
      d.payload.visitor.name = visitor === "visitor-a" ? "Ann <b>" : null;
      d.payload.visitor.email = null;
      d.payload.visitor.geolocation.country_code = COUNTRY[visitor];
    });
    expect((await postWebhook(app.url, body)).status).toBe(200);
  }
});


type Url = { id: string; method: string; template: string; events: number; share: number; perHour: number; statuses: { status: number | null; events: number }[]; visitors: number; issueIds: string[]; sparkline: number[] };
const DAY = "websiteId=site-a&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";
const SHORT = "websiteId=site-a&from=2026-11-28T10:00:00Z&to=2026-11-28T12:00:00Z";
const spark = (parts: Record<number, number>) => Array.from({ length: 24 }, (_, i) => parts[i] ?? 0);
const rows = (list: Url[]) => list.map((u) => [u.method, u.template, u.events]);

describe("URL page ids", () => {
  it("round-trip templates and refuse anything else", () => {
    expect(templateOf(urlId(PRODUCTS))).toBe(PRODUCTS);
    expect(templateOf(urlId(""))).toBe("");
    expect(templateOf(urlId("/a b/ü"))).toBe("/a b/ü");
    expect(templateOf("not base64!")).toBeNull();
    expect(templateOf(`${urlId(PRODUCTS)}=`)).toBeNull();
  });
});

describe("GET /api/urls", () => {
  it("groups a day's failures by method and URL template, from the hourly rollup", async () => {
    const { status, json } = await get(`/api/urls?${DAY}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ from: "2026-11-28T00:00:00.000Z", to: "2026-11-29T00:00:00.000Z", hours: 24, total: 7, perHour: 0.29, endpoints: 3, visitorsScope: "allTime", nextCursor: null });
    expect(rows(json.urls)).toEqual([
      ["GET", PRODUCTS, 4],
      ["POST", CART, 2],
      ["POST", PRODUCTS, 1],
    ]);
    const [products, cart, postProducts] = json.urls as Url[];
    expect(products).toEqual({
      id: urlId(PRODUCTS),
      method: "GET",
      template: PRODUCTS,
      events: 4,
      share: 0.5714,
      perHour: 0.17,
      statuses: [
        { status: 500, events: 2 },
        { status: 404, events: 1 },
        { status: 503, events: 1 },
      ],
      // All time (a day is read from the rollup): a, b and e (500), a (404), c (503).
      visitors: 4,
      firstSeen: "2026-11-27T09:00:00.000Z",
      lastSeen: "2026-11-28T14:00:00.000Z",
      issueIds: expect.any(Array),
      sparkline: spark({ 10: 2, 11: 1, 14: 1 }),
    });
    expect(products!.issueIds).toHaveLength(3);
    expect([cart!.share, cart!.perHour, cart!.visitors, cart!.statuses]).toEqual([0.2857, 0.08, 2, [{ status: 503, events: 2 }]]);
    expect([postProducts!.share, postProducts!.visitors, postProducts!.sparkline]).toEqual([0.1429, 1, spark({ 13: 1 })]);
  });

  it("sorts by last seen, searches method and template, and narrows to a status", async () => {
    expect(rows((await get(`/api/urls?${DAY}&sort=lastSeen`)).json.urls)).toEqual([
      ["GET", PRODUCTS, 4],
      ["POST", PRODUCTS, 1],
      ["POST", CART, 2],
    ]);
    const cart = (await get(`/api/urls?${DAY}&q=CART`)).json;
    expect([rows(cart.urls), cart.total, cart.endpoints]).toEqual([[["POST", CART, 2]], 7, 1]);
    expect(rows((await get(`/api/urls?${DAY}&q=post%20https`)).json.urls)).toEqual([
      ["POST", CART, 2],
      ["POST", PRODUCTS, 1],
    ]);
    expect((await get(`/api/urls?${DAY}&q=${encodeURIComponent("%")}`)).json.urls).toEqual([]);
    const only503 = (await get(`/api/urls?${DAY}&status=503`)).json;
    expect(rows(only503.urls)).toEqual([
      ["POST", CART, 2],
      ["GET", PRODUCTS, 1],
    ]);
    // The share stays a share of every failed request in the range.
    expect(only503.urls.map((u: Url) => u.share)).toEqual([0.2857, 0.1429]);
  });

  it("narrows to one URL template (the view's URL filter) and exports CSV", async () => {
    const cart = (await get(`/api/urls?${DAY}&url=${encodeURIComponent(CART)}`)).json;
    expect([rows(cart.urls), cart.total, cart.endpoints]).toEqual([[["POST", CART, 2]], 7, 1]);
    expect((await get(`/api/urls?${DAY}&url=${encodeURIComponent("https://api.x/products/1")}`)).json.urls).toEqual([]);
    const response = await fetch(`${app.url}/api/urls?${DAY}&format=csv`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe("method,template,events,share,perHour,statuses,visitors,visitorsScope,firstSeen,lastSeen,from,to");
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 7).join(","))).toEqual([
      `GET,${PRODUCTS},4,0.5714,0.17,500:2 404:1 503:1,4`,
      `POST,${CART},2,0.2857,0.08,503:2,2`,
      `POST,${PRODUCTS},1,0.1429,0.04,500:1,1`,
    ]);
  });

  it("pages with a cursor", async () => {
    const seen: unknown[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const { json } = await get(`/api/urls?${DAY}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(json.endpoints).toBe(3);
      seen.push(...rows(json.urls));
      cursor = json.nextCursor;
      expect(seen.length).toBeLessThanOrEqual(3);
    }
    expect(seen).toEqual([
      ["GET", PRODUCTS, 4],
      ["POST", CART, 2],
      ["POST", PRODUCTS, 1],
    ]);
  });

  it("counts a short range from raw events, with visitors in the range", async () => {
    const { json } = await get(`/api/urls?${SHORT}`);
    expect([json.total, json.visitorsScope, json.hours]).toEqual([4, "range", 2]);
    expect(json.urls.map((u: Url) => [u.method, u.template, u.events, u.visitors, u.perHour])).toEqual([
      ["GET", PRODUCTS, 3, 2, 1.5],
      ["POST", CART, 1, 1, 0.5],
    ]);
    // 24 parts of 5 minutes: 10:05, 10:20, 11:10.
    expect(json.urls[0].sparkline).toEqual(spark({ 1: 1, 4: 1, 14: 1 }));
  });

  it("filters by country and visitor from raw events over a day", async () => {
    const de = (await get(`/api/urls?${DAY}&country=DE`)).json;
    expect([de.total, de.visitorsScope, rows(de.urls)]).toEqual([2, "range", [["GET", PRODUCTS, 1], ["POST", CART, 1]]]);
    const c = (await get(`/api/urls?${DAY}&visitorId=visitor-c`)).json;
    expect(rows(c.urls)).toEqual([["GET", PRODUCTS, 1], ["POST", CART, 1]]);
    expect((await get(`/api/urls?${DAY}&country=FR`)).json).toMatchObject({ total: 0, endpoints: 0, urls: [] });
  });

  it("answers 400 for bad parameters and 401 without credentials", async () => {
    expect((await get(`/api/urls?from=2026-11-28T00:00:00Z`)).status).toBe(400);
    expect((await get(`/api/urls?${DAY}&sort=visitors`)).status).toBe(400);
    expect((await get(`/api/urls?${DAY}&status=abc`)).status).toBe(400);
    expect((await get(`/api/urls?${DAY}&cursor=nonsense`)).json.error.code).toBe("bad_request");
    const other = (await get(`/api/urls?${DAY}&limit=1`)).json.nextCursor;
    expect((await get(`/api/urls?${DAY}&sort=lastSeen&cursor=${other}`)).status).toBe(400);
    const { status, json } = await get(`/api/urls?${DAY}`, {});
    expect([status, json.error.code]).toEqual([401, "unauthorized"]);
  });
});

describe("GET /api/urls/:id", () => {
  const detail = (template: string, query = DAY) => get(`/api/urls/${urlId(template)}?${query}`);

  it("shows a template's failures over a day: trend, statuses, methods, countries, visitors, latest", async () => {
    const { status, json } = await detail(PRODUCTS);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      id: urlId(PRODUCTS),
      template: PRODUCTS,
      from: "2026-11-28T00:00:00.000Z",
      to: "2026-11-29T00:00:00.000Z",
      bucketMinutes: 60,
      events: 5,
      share: 0.7143,
      perHour: 0.21,
      totalFailures: 7,
      visitors: 5,
      visitorsScope: "allTime",
      firstSeen: "2026-11-27T09:00:00.000Z",
      lastSeen: "2026-11-28T14:00:00.000Z",
      allMethods: ["GET", "POST"],
      statuses: [
        { status: 500, events: 3 },
        { status: 404, events: 1 },
        { status: 503, events: 1 },
      ],
      methods: [
        { method: "GET", events: 4 },
        { method: "POST", events: 1 },
      ],
      series: ["500", "404", "503"],
      sample: { events: 5, limit: 5_000, complete: true },
      countries: { rows: [{ country: "PL", events: 3 }, { country: "DE", events: 1 }, { country: "US", events: 1 }], other: 0 },
    });
    type Endpoint = { method: string; status: number; events: number; totalEvents: number; visitors: number };
    const endpoints = (json.endpoints as Endpoint[]).map((e) => [e.method, e.status, e.events, e.totalEvents, e.visitors]);
    // Most events of all time first (ties by id).
    expect(endpoints[0]).toEqual(["GET", 500, 2, 3, 3]);
    expect(endpoints.slice(1).map(String).sort()).toEqual(["GET,404,1,1,1", "GET,503,1,1,1", "POST,500,1,1,1"]);
    expect(json.endpoints).toHaveLength(4);
    expect(json.points).toHaveLength(24);
    expect(json.points[10]).toEqual({ t: "2026-11-28T10:00:00.000Z", values: { "500": 2, "404": 0, "503": 0 } });
    expect(json.points[13].values).toEqual({ "500": 1, "404": 0, "503": 0 });
    expect(json.points[14].values).toEqual({ "500": 0, "404": 0, "503": 1 });
    expect(json.visitorsHit.map((v: { visitorId: string; label: string; events: number }) => [v.visitorId, v.label, v.events])).toEqual([
      ["visitor-a", "Ann <b>", 2],
      ["visitor-c", "visitor-c", 1],
      ["visitor-d", "visitor-d", 1],
      ["visitor-b", "visitor-b", 1],
    ]);
    expect(json.latest.map((r: { occurredAt: string; method: string; url: string; status: number; visitorId: string }) => [r.occurredAt, r.method, r.url, r.status, r.visitorId])).toEqual([
      ["2026-11-28T14:00:00.000Z", "GET", "https://api.x/products/4?q=1", 503, "visitor-c"],
      ["2026-11-28T13:00:00.000Z", "post", "https://api.x/products/9", 500, "visitor-d"],
      ["2026-11-28T11:10:00.000Z", "GET", "https://api.x/products/3", 404, "visitor-a"],
      ["2026-11-28T10:20:00.000Z", "GET", "https://api.x/products/2", 500, "visitor-b"],
      ["2026-11-28T10:05:00.000Z", "GET", "https://api.x/products/1", 500, "visitor-a"],
    ]);
  });

  it("narrows to a method, a country or a short range", async () => {
    const post = (await detail(PRODUCTS, `${DAY}&method=post`)).json;
    expect([post.events, post.statuses, post.methods, post.allMethods, post.visitors]).toEqual([1, [{ status: 500, events: 1 }], [{ method: "POST", events: 1 }], ["GET", "POST"], 1]);
    const de = (await detail(PRODUCTS, `${DAY}&country=DE`)).json;
    expect([de.events, de.totalFailures, de.visitors, de.visitorsScope, de.latest.length]).toEqual([1, 2, 1, "range", 1]);
    const short = (await detail(PRODUCTS, SHORT)).json;
    expect([short.events, short.visitors, short.bucketMinutes, short.points.length, short.perHour]).toEqual([3, 2, 1, 120, 1.5]);
    const cart = (await detail(CART)).json;
    expect([cart.events, cart.share, cart.statuses, cart.countries.rows]).toEqual([2, 0.2857, [{ status: 503, events: 2 }], [{ country: "DE", events: 1 }, { country: "US", events: 1 }]]);
  });

  it("counts countries, visitors and requests from the newest failures when there are more than the sample holds", async () => {
    setDatabaseUrl(app.databaseUrl);
    const query = urlQuery.parse({ websiteId: "site-a", from: "2026-11-28T00:00:00Z", to: "2026-11-29T00:00:00Z" });
    const url = await getUrlDetail(urlId(PRODUCTS), query, 2);
    // Counts stay exact; the sample is the newest two: 14:00 (visitor-c, US) and 13:00 (visitor-d, PL).
    expect([url.events, url.sample]).toEqual([5, { events: 2, limit: 2, complete: false }]);
    expect(url.countries).toEqual({ rows: [{ country: "PL", events: 1 }, { country: "US", events: 1 }], other: 0 });
    expect(url.latest.map((r) => r.visitorId)).toEqual(["visitor-c", "visitor-d"]);
  });

  it("answers 404 for a template that never failed there, 400 for a bad id, 401 without credentials", async () => {
    const missing = await detail("https://api.x/nothing");
    expect([missing.status, missing.json.error.code]).toEqual([404, "not_found"]);
    expect((await detail(PRODUCTS, DAY.replace("site-a", "site-none"))).status).toBe(404);
    expect((await get(`/api/urls/not*base64?${DAY}`)).status).toBe(400);
    expect((await detail(PRODUCTS, "from=2026-11-28T00:00:00Z")).status).toBe(400);
    expect((await get(`/api/urls/${urlId(PRODUCTS)}?${DAY}`, {})).status).toBe(401);
  });
});
