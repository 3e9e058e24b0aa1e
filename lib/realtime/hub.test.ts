// Unit: the hub's per-socket filtering and backpressure, on a real socket.io server in-process.
import { createServer, type Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { subscribeSchema } from "./filters";
import { LiveHub, MAX_PENDING, type PublishedEvent } from "./hub";
import type { LiveEvent } from "./live-event";

let http: HttpServer;
let io: Server;
let hub: LiveHub;
let url: string;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  http = createServer();
  io = new Server(http);
  hub = new LiveHub(io, false);
  io.on("connection", (socket) => {
    socket.on("subscribe", async (input: unknown, ack: (r: unknown) => void) => {
      await hub.subscribe(socket, subscribeSchema.parse(input));
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
});

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

afterAll(async () => {
  await io.close();
});

let seq = 0;
function event(change: Partial<PublishedEvent> = {}): PublishedEvent {
  seq++;
  return {
    messageId: `m-${seq}`,
    websiteId: "site-1",
    kind: "JSError",
    occurredAt: new Date().toISOString(),
    visitorId: "v-1",
    visitorName: null,
    visitorEmail: null,
    issueId: "1",
    issueTitle: "t",
    countryCode: "PL",
    city: null,
    urlTemplate: null,
    url: null,
    method: null,
    status: null,
    name: null,
    message: "m",
    properties: null,
    ...change,
  };
}

type Client = { socket: ClientSocket; events: LiveEvent[]; resyncs: number; acks: (() => void)[] };

async function client(subscription: unknown, autoAck = true): Promise<Client> {
  const socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  clients.push(socket);
  const c: Client = { socket, events: [], resyncs: 0, acks: [] };
  socket.on("events", (events: LiveEvent[], ack: () => void) => {
    c.events.push(...events);
    if (autoAck) ack();
    else c.acks.push(ack);
  });
  socket.on("resync", () => c.resyncs++);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  expect(await socket.emitWithAck("subscribe", subscription)).toEqual({ ok: true });
  return c;
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("LiveHub", () => {
  it("sends each socket only its website's events that match its filters, without properties", async () => {
    const all = await client({ websiteId: "site-1" });
    const other = await client({ websiteId: "site-2" });
    const filtered = await client({ websiteId: "site-1", filters: { kind: "NetError,Custom", country: "" } });
    const prop = await client({ websiteId: "site-1", filters: { prop: "items_int:3" } });
    const events = [
      event(),
      event({ kind: "NetError", countryCode: null }),
      event({ kind: "NetError", countryCode: "DE" }),
      event({ kind: "Custom", countryCode: null, properties: { items_int: 3 } }),
      event({ kind: "Custom", properties: { items_int: "3" } }),
      event({ websiteId: "site-2" }),
    ];
    hub.publish(events);
    await until(() => all.events.length === 5 && other.events.length === 1 && filtered.events.length === 2 && prop.events.length === 1);
    await settle();
    expect(all.events.map((e) => e.messageId)).toEqual(events.slice(0, 5).map((e) => e.messageId));
    expect(other.events.map((e) => e.messageId)).toEqual([events[5]!.messageId]);
    expect(filtered.events.map((e) => e.messageId)).toEqual([events[1]!.messageId, events[3]!.messageId]);
    expect(prop.events.map((e) => e.messageId)).toEqual([events[3]!.messageId]);
    expect(all.events.every((e) => !("properties" in e))).toBe(true);
  });

  it("holds one batch in flight per socket and sends what arrived meanwhile as one batch", async () => {
    const slow = await client({ websiteId: "site-1" }, false);
    hub.publish([event()]);
    await until(() => slow.acks.length === 1);
    for (let i = 0; i < 10; i++) hub.publish([event()]);
    await settle();
    expect(slow.events).toHaveLength(1);
    slow.acks.shift()!();
    await until(() => slow.acks.length === 1);
    expect(slow.events).toHaveLength(11);
    expect(slow.resyncs).toBe(0);
  });

  it("drops the backlog of a socket that falls behind and tells it to resync, then carries on", async () => {
    const slow = await client({ websiteId: "site-1" }, false);
    const fast = await client({ websiteId: "site-1" });
    hub.publish([event()]);
    await until(() => slow.acks.length === 1);
    // A socket that keeps up gets everything; the one that does not ack piles up past the cap.
    for (let sent = 0; sent <= MAX_PENDING; sent += 500) {
      hub.publish(Array.from({ length: 500 }, () => event()));
      await until(() => fast.events.length === sent + 501);
    }
    slow.acks.shift()!();
    await until(() => slow.resyncs === 1);
    expect(slow.events).toHaveLength(1);
    const after = event();
    hub.publish([after]);
    await until(() => slow.events.length === 2);
    expect(slow.events[1]!.messageId).toBe(after.messageId);
    expect(slow.resyncs).toBe(1);
  });

  it("a new subscription replaces the old one", async () => {
    const c = await client({ websiteId: "site-1" });
    expect(await c.socket.emitWithAck("subscribe", { websiteId: "site-2", filters: { kind: ["RageClick"] } })).toEqual({ ok: true });
    const events = [event(), event({ websiteId: "site-2" }), event({ websiteId: "site-2", kind: "RageClick" })];
    hub.publish(events);
    await until(() => c.events.length === 1);
    await settle();
    expect(c.events.map((e) => e.messageId)).toEqual([events[2]!.messageId]);
  });
});

describe("subscribeSchema", () => {
  it("reads filters as the API spells them and refuses the rest", () => {
    expect(subscribeSchema.parse({ websiteId: "s", filters: { kind: "JSError, NetError", prop: "plan_str:a:b", issueId: "-12" } })).toEqual({
      websiteId: "s",
      filters: { kind: ["JSError", "NetError"], prop: { name: "plan_str", value: "a:b" }, issueId: "-12" },
    });
    expect(subscribeSchema.parse({ websiteId: "s" })).toEqual({ websiteId: "s", filters: {} });
    for (const bad of [
      { websiteId: "s", filters: { prop: "plan:pro" } },
      { websiteId: "s", filters: { prop: "n_int:x" } },
      { websiteId: "s", filters: { issueId: "abc" } },
      { websiteId: "s", filters: { kind: "" } },
      { websiteId: "s", filters: { other: "x" } },
      { websiteId: "", filters: {} },
      { websiteId: "s", extra: 1 },
    ]) {
      expect(subscribeSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
