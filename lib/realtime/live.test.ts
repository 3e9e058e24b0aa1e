// Integration: live delivery through the real production server. A webhook's events reach
// subscribed sockets once committed, per kind, filtered on the server, never across websites,
// only for authenticated sockets, and across two instances sharing one database
// (LIVE_ADAPTER=postgres).
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { templateUrl } from "../ingest/fingerprint";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import { call } from "../testing/users";
import type { LiveEvent } from "./live-event";

const TOKEN = `admin-api-token-${randomUUID()}`;
const SITE_A = `site-a-${randomUUID().slice(0, 8)}`;
const SITE_B = `site-b-${randomUUID().slice(0, 8)}`;

let database: ScratchDatabase;
let a: AppServer;
let b: AppServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  const settings = { DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, LIVE_ADAPTER: "postgres" };
  [a, b] = await Promise.all([startAppServer(settings), startAppServer(settings)]);
  for (const id of [SITE_A, SITE_B]) {
    expect((await call(a.url, "/api/websites", { method: "POST", token: TOKEN, body: { id } })).status).toBe(201);
  }
}, 120_000);

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

type Live = { socket: Socket; events: LiveEvent[] };

async function subscriber(server: AppServer, subscription: unknown): Promise<Live> {
  const socket = io(server.url, { transports: ["websocket"], auth: { token: TOKEN }, reconnection: false, forceNew: true });
  sockets.push(socket);
  const live: Live = { socket, events: [] };
  socket.on("events", (events: LiveEvent[], ack: () => void) => {
    live.events.push(...events);
    ack();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  expect(await socket.timeout(5000).emitWithAck("subscribe", subscription)).toEqual({ ok: true });
  return live;
}

async function send(server: AppServer, name: FixtureName, website: string, change: (d: Record<string, any>) => void = () => {}) {
  const d = delivery(name, (x) => {
    x.website_id = website;
    x.payload.time = Date.now();
    change(x);
  });
  const reply = await postWebhook(server.url, d.body);
  expect(reply.status).toBe(200);
  return d.messageId;
}

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting for live events");
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** Time for anything unexpected to arrive before asserting it did not. */
const quiet = () => new Promise((r) => setTimeout(r, 500));

const KINDS: [FixtureName, string][] = [
  ["js-error", "JSError"],
  ["net-error", "NetError"],
  ["error-click", "ErrorClick"],
  ["rage-click", "RageClick"],
  ["custom", "Custom"],
];

describe("live events", () => {
  it("delivers every kind once committed, with what the pages show", async () => {
    const live = await subscriber(a, { websiteId: SITE_A });
    const ids: string[] = [];
    for (const [fixture] of KINDS) ids.push(await send(a, fixture, SITE_A));
    await until(() => live.events.length >= 5);
    await quiet();
    expect(live.events.map((e) => e.messageId)).toEqual(ids);
    expect(live.events.map((e) => e.kind)).toEqual(KINDS.map(([, kind]) => kind));
    const [js, net, click, rage, custom] = live.events;
    expect(js).toMatchObject({ websiteId: SITE_A, message: "ProductCatalog: product is not valid", visitorName: "John Doe", countryCode: "PL", city: "Wroclaw" });
    expect(net).toMatchObject({ method: "GET", url: "https://api.livesession.io/products/1", urlTemplate: templateUrl("https://api.livesession.io/products/1"), status: 500 });
    expect(click).toMatchObject({ message: "product is not defined" });
    expect(rage!.kind).toBe("RageClick");
    expect(custom).toMatchObject({ name: "Product added" });
    expect(custom).not.toHaveProperty("properties");
    for (const e of live.events) expect(e.issueId).toMatch(/^-?\d+$/);
    // The event is stored: the API has it.
    const stored = await call(a.url, `/api/events?websiteId=${SITE_A}&limit=10`, { token: TOKEN });
    expect(stored.status).toBe(200);
    expect(stored.text).toContain(ids[0]);
  });

  it("sends a repeated delivery (a LiveSession retry) once", async () => {
    const live = await subscriber(a, { websiteId: SITE_A });
    const d = delivery("js-error", (x) => (x.website_id = SITE_A));
    expect((await postWebhook(a.url, d.body)).json.status).toBe("stored");
    expect((await postWebhook(a.url, d.body)).json.status).toBe("duplicate");
    await until(() => live.events.length >= 1);
    await quiet();
    expect(live.events.map((e) => e.messageId)).toEqual([d.messageId]);
  });

  it("never sends website A's events to a subscriber of website B", async () => {
    const onB = await subscriber(a, { websiteId: SITE_B });
    const onA = await subscriber(a, { websiteId: SITE_A });
    const forA = await send(a, "js-error", SITE_A);
    const forB = await send(a, "rage-click", SITE_B);
    await until(() => onA.events.length >= 1 && onB.events.length >= 1);
    await quiet();
    expect(onA.events.map((e) => e.messageId)).toEqual([forA]);
    expect(onB.events.map((e) => e.messageId)).toEqual([forB]);
  });

  it("applies the subscription's filters on the server", async () => {
    const kinds = await subscriber(a, { websiteId: SITE_A, filters: { kind: "NetError,RageClick" } });
    const country = await subscriber(a, { websiteId: SITE_A, filters: { country: "DE" } });
    const unknownCountry = await subscriber(a, { websiteId: SITE_A, filters: { country: "" } });
    const visitor = await subscriber(a, { websiteId: SITE_A, filters: { visitorId: "visitor-live-1" } });
    const url = await subscriber(a, { websiteId: SITE_A, filters: { url: templateUrl("https://shop.example/cart/123") } });
    const prop = await subscriber(a, { websiteId: SITE_A, filters: { prop: "product_id_int:7" } });
    const both = await subscriber(a, { websiteId: SITE_A, filters: { kind: ["JSError"], country: "DE" } });

    const js = await send(a, "js-error", SITE_A);
    const jsDe = await send(a, "js-error", SITE_A, (d) => (d.payload.visitor.geolocation.country_code = "DE"));
    const net = await send(a, "net-error", SITE_A, (d) => (d.payload.url = "https://shop.example/cart/123"));
    const rage = await send(a, "rage-click", SITE_A, (d) => {
      d.payload.visitor.id = "visitor-live-1";
      delete d.payload.visitor.geolocation;
    });
    const custom7 = await send(a, "custom", SITE_A, (d) => (d.payload.properties.product_id_int = 7));
    const customText7 = await send(a, "custom", SITE_A, (d) => {
      d.payload.properties = { product_id_int: 1, other_str: "7" };
    });

    await until(() => kinds.events.length >= 2 && prop.events.length >= 1 && both.events.length >= 1);
    await quiet();
    const ids = (live: Live) => live.events.map((e) => e.messageId);
    expect(ids(kinds)).toEqual([net, rage]);
    expect(ids(country)).toEqual([jsDe]);
    expect(ids(unknownCountry)).toEqual([rage]);
    expect(ids(visitor)).toEqual([rage]);
    expect(ids(url)).toEqual([net]);
    expect(ids(prop)).toEqual([custom7]);
    expect(ids(both)).toEqual([jsDe]);
    expect([js, customText7]).toHaveLength(2);

    // An issue filter, with the issue id the first event reported.
    const issueId = kinds.events[0]!.issueId;
    const issue = await subscriber(a, { websiteId: SITE_A, filters: { issueId } });
    const again = await send(a, "net-error", SITE_A, (d) => (d.payload.url = "https://shop.example/cart/456"));
    await send(a, "net-error", SITE_A, (d) => (d.payload.status = 404));
    await until(() => issue.events.length >= 1);
    await quiet();
    expect(ids(issue)).toEqual([again]);
  });

  it("catches a new subscription up on the events received since its page's data, filtered", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const before = [await send(a, "js-error", SITE_A), await send(a, "rage-click", SITE_A), await send(a, "js-error", SITE_A)];
    await send(a, "js-error", SITE_B);
    const live = await subscriber(a, { websiteId: SITE_A, filters: { kind: "JSError" }, since });
    const after = await send(a, "js-error", SITE_A);
    await until(() => live.events.length >= 3);
    await quiet();
    expect(live.events.map((e) => e.messageId)).toEqual([before[0], before[2], after]);
    expect(live.events[0]).toMatchObject({ kind: "JSError", visitorName: "John Doe", countryCode: "PL", issueTitle: expect.any(String) });
    expect(live.events[0]!.issueTitle.length).toBeGreaterThan(0);
    // Without `since`, nothing from before.
    const plain = await subscriber(a, { websiteId: SITE_A, filters: { kind: "JSError" } });
    await quiet();
    expect(plain.events).toEqual([]);
  });

  it("refuses an invalid subscription, and a socket without credentials cannot connect", async () => {
    const live = await subscriber(a, { websiteId: SITE_A });
    for (const bad of [{ websiteId: SITE_A, filters: { prop: "plan:pro" } }, { websiteId: SITE_A, filters: { nope: 1 } }, { websiteId: "no-such-site" }]) {
      const reply = await live.socket.timeout(5000).emitWithAck("subscribe", bad);
      expect(reply.ok, JSON.stringify(bad)).toBe(false);
    }
    const anonymous = io(a.url, { transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(anonymous);
    const outcome = await new Promise<string>((resolve) => {
      anonymous.once("connect", () => resolve("connected"));
      anonymous.once("connect_error", (e) => resolve(e.message));
    });
    expect(outcome).toBe("unauthorized");
  });

  it("delivers across instances sharing one database (webhook to A, browser on B, and back)", async () => {
    const onB = await subscriber(b, { websiteId: SITE_A });
    const onA = await subscriber(a, { websiteId: SITE_A, filters: { kind: "Custom" } });
    const otherSiteOnB = await subscriber(b, { websiteId: SITE_B });
    const toA = [await send(a, "js-error", SITE_A), await send(a, "custom", SITE_A)];
    const toB = await send(b, "custom", SITE_A);
    await until(() => onB.events.length >= 3 && onA.events.length >= 2);
    await quiet();
    expect(onB.events.map((e) => e.messageId).sort()).toEqual([...toA, toB].sort());
    expect(onA.events.map((e) => e.messageId).sort()).toEqual([toA[1]!, toB].sort());
    expect(otherSiteOnB.events).toEqual([]);
  });
});
