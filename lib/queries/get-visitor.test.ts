// Integration: GET /api/visitors/:id, /api/visitors/:id/events and /api/visitors/:id/issues on
// the real server.
import { beforeAll, describe, expect, it } from "vitest";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { apiTestServer, TEST_TOKEN as TOKEN } from "../testing/api-server";

const app = apiTestServer();
const { get } = app;

const ODD = "visitor/b 100%?x";
const TYPE_ERROR = "TypeError: x is undefined";
const ALICE = {
  id: "visitor-a",
  name: "Alice",
  email: "alice@example.test",
  params: [
    { name: "plan", value: "pro" },
    { name: "seats", value: 3 },
  ],
  geolocation: { country_code: "PL", city: "Wroclaw", region: "Dolnoslaskie" },
};
const BOB = { id: ODD, name: null, email: null, params: [], geolocation: { country_code: "DE", city: null, region: null } };

// [website, fixture (or a new kind), time, visitor, payload fields]
const sends: [string, FixtureName | "PageStall", string, typeof ALICE | typeof BOB, Record<string, unknown>][] = [
  ["site-a", "js-error", "2026-11-27T08:00:00Z", ALICE, { value: "Old error" }],
  ["site-a", "js-error", "2026-11-29T10:00:00Z", ALICE, { value: TYPE_ERROR }],
  ["site-a", "js-error", "2026-11-29T10:30:00Z", ALICE, { value: TYPE_ERROR }],
  ["site-a", "net-error", "2026-11-29T11:00:00Z", ALICE, { method: "GET", url: "https://api.x/products/1", status: 500 }],
  ["site-a", "rage-click", "2026-11-29T11:30:00Z", ALICE, { clicks: 7 }],
  ["site-a", "error-click", "2026-11-29T12:00:00Z", ALICE, { messsage: "Buy failed" }],
  ["site-a", "custom", "2026-11-29T12:00:00Z", ALICE, { name: "Checkout", properties: { total_float: 9.5, items_int: "two" } }],
  ["site-a", "PageStall", "2026-11-29T13:00:00Z", ALICE, { duration_ms: 5000 }],
  ["site-a", "js-error", "2026-11-29T09:00:00Z", BOB, { value: TYPE_ERROR }],
  ["site-other", "js-error", "2026-11-29T10:00:00Z", ALICE, { value: TYPE_ERROR }],
];

beforeAll(async () => {
  for (const [website, fixture, at, who, fields] of sends) {
    const seconds = Date.parse(at) / 1000;
    const { body } = delivery(fixture === "PageStall" ? "js-error" : fixture, (d) => {
      d.website_id = website;
      d.created_at = seconds;
      if (fixture === "PageStall") d.payload = { event_name: "PageStall" };
      Object.assign(d.payload, fields, { time: seconds * 1000, visitor: who });
    });
    expect((await postWebhook(app.url, body)).status).toBe(200);
  }
});


const DAY = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
const visitor = (id: string, query: string) => get(`/api/visitors/${encodeURIComponent(id)}?${query}`);
const events = (id: string, query: string) => get(`/api/visitors/${encodeURIComponent(id)}/events?${query}`);
const issues = (id: string, query: string) => get(`/api/visitors/${encodeURIComponent(id)}/issues?${query}`);
type Event = { kind: string; occurredAt: string; messageId: string };

describe("GET /api/visitors/:id", () => {
  it("answers the profile, params, geolocation and events per kind in the range and all time", async () => {
    const { status, json } = await visitor("visitor-a", DAY);
    expect(status).toBe(200);
    expect(json).toEqual({
      from: "2026-11-29T00:00:00.000Z",
      to: "2026-11-30T00:00:00.000Z",
      visitor: {
        id: "visitor-a",
        websiteId: "site-a",
        name: "Alice",
        email: "alice@example.test",
        countryCode: "PL",
        region: "Dolnoslaskie",
        city: "Wroclaw",
        params: [
          { name: "plan", value: "pro" },
          { name: "seats", value: 3 },
        ],
        firstSeen: "2026-11-27T08:00:00.000Z",
        lastSeen: "2026-11-29T13:00:00.000Z",
        eventCount: 8,
      },
      totals: {
        range: { Custom: 1, ErrorClick: 1, JSError: 2, NetError: 1, PageStall: 1, RageClick: 1 },
        allTime: { Custom: 1, ErrorClick: 1, JSError: 3, NetError: 1, PageStall: 1, RageClick: 1 },
      },
      events: 7,
      errors: 4,
      rageClicks: 1,
      frustration: 7,
      sessionsUrl: "https://app.livesession.io/app/site-a/sessions?email=alice%40example.test",
    });
  });

  it("counts the exact range, `to` exclusive", async () => {
    const { json } = await visitor("visitor-a", "websiteId=site-a&from=2026-11-29T10:00:00Z&to=2026-11-29T10:30:00Z");
    expect(json.totals.range).toEqual({ JSError: 1 });
    expect(json.totals.allTime.JSError).toBe(3);
    expect([json.events, json.errors, json.rageClicks, json.frustration]).toEqual([1, 1, 0, 1]);
  });

  it("finds ids with slashes, spaces and percent signs; no email links the website's sessions", async () => {
    const { status, json } = await visitor(ODD, DAY);
    expect(status).toBe(200);
    expect(json.visitor).toMatchObject({ id: ODD, name: null, email: null, params: [], countryCode: "DE", city: null });
    expect(json.totals.range).toEqual({ JSError: 1 });
    expect(json.sessionsUrl).toBe("https://app.livesession.io/app/site-a/sessions");
  });

  it("answers 404 for an unknown visitor or another website's, 400 for bad parameters, 401 without credentials", async () => {
    const missing = await visitor("nobody", DAY);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
    expect((await visitor(ODD, DAY.replace("site-a", "site-other"))).status).toBe(404);
    expect((await visitor("visitor-a", "from=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await visitor("visitor-a", "websiteId=site-a&from=yesterday")).status).toBe(400);
    expect((await visitor("visitor-a", "websiteId=site-a&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z")).status).toBe(400);
    expect((await visitor("x".repeat(300), DAY)).status).toBe(400);
    expect((await get(`/api/visitors/visitor-a?${DAY}`, {})).status).toBe(401);
  });
});

describe("GET /api/visitors/:id/events", () => {
  it("lists every event of the visitor, newest first, with its kind's details", async () => {
    const { status, json } = await events("visitor-a", "websiteId=site-a");
    expect(status).toBe(200);
    expect(json.nextCursor).toBeNull();
    const list = json.events;
    expect(list.map((e: Event) => [e.kind, e.occurredAt.slice(0, 16)])).toEqual([
      ["PageStall", "2026-11-29T13:00"],
      // Same instant: the later-stored event first (ties by id, descending).
      ["Custom", "2026-11-29T12:00"],
      ["ErrorClick", "2026-11-29T12:00"],
      ["RageClick", "2026-11-29T11:30"],
      ["NetError", "2026-11-29T11:00"],
      ["JSError", "2026-11-29T10:30"],
      ["JSError", "2026-11-29T10:00"],
      ["JSError", "2026-11-27T08:00"],
    ]);
    expect(list[0]).toMatchObject({ kind: "PageStall", fields: { duration_ms: 5000 }, issueTitle: "PageStall" });
    expect(list[1]).toMatchObject({
      name: "Checkout",
      properties: { total_float: 9.5, items_int: "two" },
      propertyErrors: [{ key: "items_int", problem: "type_mismatch", expected: "int", actual: "string" }],
      fields: null,
      issueTitle: "Checkout",
    });
    expect(list[2]).toMatchObject({ message: "Buy failed", issueTitle: "Buy failed" });
    expect(list[3]).toMatchObject({ clicks: 7, issueTitle: "Rage clicks" });
    expect(list[4]).toMatchObject({ method: "GET", url: "https://api.x/products/1", urlTemplate: "https://api.x/products/:id", status: 500 });
    expect(list[5]).toMatchObject({ message: TYPE_ERROR, count: 1, countryCode: "PL", issueTitle: TYPE_ERROR, propertyErrors: [] });
    expect(list[5].issueId).toMatch(/^-?\d+$/);
    expect(list[5].issueId).toBe(list[6].issueId);
  });

  it("filters by kinds and range, and pages without gaps or repeats", async () => {
    const errors = await events("visitor-a", "websiteId=site-a&kind=JSError,NetError");
    expect(errors.json.events.map((e: Event) => e.kind)).toEqual(["NetError", "JSError", "JSError", "JSError"]);
    const day = await events("visitor-a", `${DAY}&kind=JSError`);
    expect(day.json.events).toHaveLength(2);
    const all: Event[] = (await events("visitor-a", "websiteId=site-a")).json.events;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { json }: { json: { events: Event[]; nextCursor: string | null } } = await events(
        "visitor-a",
        `websiteId=site-a&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...json.events.map((e) => e.messageId));
      cursor = json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((e) => e.messageId));
    expect(new Set(seen).size).toBe(8);
  });

  it("narrows to the view's filters: country, issue, URL and custom property", async () => {
    const kinds = async (query: string) => (await events("visitor-a", `websiteId=site-a&${query}`)).json.events.map((e: Event) => e.kind);
    expect(await kinds("country=PL")).toHaveLength(8);
    expect(await kinds("country=DE")).toEqual([]);
    const issueId = (await events("visitor-a", "websiteId=site-a&kind=JSError")).json.events[0].issueId;
    expect(await kinds(`issueId=${issueId}`)).toEqual(["JSError", "JSError"]);
    expect(await kinds(`url=${encodeURIComponent("https://api.x/products/:id")}`)).toEqual(["NetError"]);
    expect(await kinds(`url=${encodeURIComponent("https://api.x/products/1")}`)).toEqual(["NetError"]);
    expect(await kinds("prop=total_float:9.5")).toEqual(["Custom"]);
    expect(await kinds("prop=items_int:two")).toEqual(["Custom"]);
    expect(await kinds("prop=items_int:three")).toEqual([]);
  });

  it("downloads the timeline as CSV and JSON", async () => {
    const response = await fetch(`${app.url}/api/visitors/visitor-a/events?websiteId=site-a&kind=JSError&format=csv`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^messageId,kind,occurredAt,/);
    const json = await fetch(`${app.url}/api/visitors/visitor-a/issues?${DAY}&format=json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const rows = await json.json();
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ title: TYPE_ERROR, events: 2 });
    expect(rows[0].sparkline).toBeUndefined();
  });

  it("answers 404, 400 and 401", async () => {
    expect((await events("nobody", "websiteId=site-a")).status).toBe(404);
    expect((await events("visitor-a", "websiteId=site-a&prop=nocolon")).status).toBe(400);
    expect((await events("visitor-a", "websiteId=site-a&issueId=abc")).status).toBe(400);
    expect((await events("visitor-a", "websiteId=site-a&cursor=xyz")).status).toBe(400);
    expect((await events("visitor-a", "websiteId=site-a&limit=101")).status).toBe(400);
    expect((await events("visitor-a", "websiteId=site-a&kind=")).status).toBe(400);
    expect((await events("visitor-a", "kind=JSError")).status).toBe(400);
    expect((await get("/api/visitors/visitor-a/events?websiteId=site-a", {})).status).toBe(401);
  });
});

describe("GET /api/visitors/:id/issues", () => {
  it("lists the issues the visitor hit in the range with their counts", async () => {
    const { status, json } = await issues("visitor-a", DAY);
    expect(status).toBe(200);
    expect(json.nextCursor).toBeNull();
    type Issue = { title: string; events: number; totalEvents: number; visitors: number };
    const rows = json.issues.map((i: Issue) => [i.title, i.events, i.totalEvents, i.visitors]);
    expect(rows[0]).toEqual([TYPE_ERROR, 2, 3, 2]);
    expect(rows.slice(1).sort()).toEqual(
      [
        ["Buy failed", 1, 1, 1],
        ["Checkout", 1, 1, 1],
        ["GET https://api.x/products/:id 500", 1, 1, 1],
        ["PageStall", 1, 1, 1],
        ["Rage clicks", 1, 1, 1],
      ].sort(),
    );
    const odd = await issues(ODD, DAY);
    expect(odd.json.issues.map((i: Issue) => [i.title, i.events])).toEqual([[TYPE_ERROR, 1]]);
    const kind = await issues("visitor-a", `${DAY}&kind=JSError`);
    expect(kind.json.issues.map((i: Issue) => i.title)).toEqual([TYPE_ERROR]);
    const all = await issues("visitor-a", "websiteId=site-a&from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z&kind=JSError");
    expect(all.json.issues.map((i: Issue) => [i.title, i.events])).toEqual([
      [TYPE_ERROR, 2],
      ["Old error", 1],
    ]);
  });

  it("answers 404, 400 and 401", async () => {
    expect((await issues("nobody", DAY)).status).toBe(404);
    expect((await issues("visitor-a", `${DAY}&sort=name`)).status).toBe(400);
    expect((await issues("visitor-a", "from=2026-11-29T00:00:00Z")).status).toBe(400);
    expect((await get(`/api/visitors/visitor-a/issues?${DAY}`, {})).status).toBe(401);
  });
});
