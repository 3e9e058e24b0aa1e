// Integration: live subscribers that never acknowledge, or whose connection reads very slowly,
// do not slow ingest down. The same stream of signed webhooks runs twice against the production
// server, first with one well-behaved subscriber, then with the slow ones added: throughput and
// ack latency stay within generous ratios of the first run, the well-behaved subscriber still
// gets every event, the stuck one is told to resync (the hub dropped its queue), and the
// server's memory stays bounded.
import { randomUUID } from "node:crypto";
import type { Socket as NetSocket } from "node:net";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveEvent } from "../realtime/live-event";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery } from "../testing/deliveries";
import { rssBytes, startAppServer, type AppServer } from "../testing/server";
import { percentile, sleep, WebhookStream } from "../testing/stream";
import { call } from "../testing/users";

const TOKEN = `admin-api-token-${randomUUID()}`;
const SECRET = "slow-browser-secret";
const SITE = `slow-${randomUUID().slice(0, 8)}`;
const RATE = 100;
const MB = 1024 * 1024;

let database: ScratchDatabase;
let server: AppServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, LIVESESSION_WEBHOOK_SECRET: SECRET });
  expect((await call(server.url, "/api/websites", { method: "POST", token: TOKEN, body: { id: SITE } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
  await database?.drop();
});

type Subscriber = { socket: Socket; received: number; resyncs: string[] };

/** A socket subscribed to SITE; `onEvents` decides what to do with each batch and its ack. */
async function subscribe(onEvents: (events: LiveEvent[], ack: () => void) => void): Promise<Subscriber> {
  const socket = io(server.url, { transports: ["websocket"], auth: { token: TOKEN }, reconnection: false, forceNew: true });
  sockets.push(socket);
  const subscriber: Subscriber = { socket, received: 0, resyncs: [] };
  socket.on("events", (events: LiveEvent[], ack: () => void) => {
    subscriber.received += events.length;
    onEvents(events, ack);
  });
  socket.on("resync", ({ reason }: { reason: string }) => subscriber.resyncs.push(reason));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  expect(await socket.timeout(5000).emitWithAck("subscribe", { websiteId: SITE })).toEqual({ ok: true });
  return subscriber;
}

/** Waits (a few seconds at most) for a subscriber's count to reach `count`, for batches still on the way; returns it. */
async function receivedUpTo(subscriber: Subscriber, count: number): Promise<number> {
  for (const end = Date.now() + 5_000; subscriber.received < count && Date.now() < end; ) await sleep(50);
  return subscriber.received;
}

/** The TCP connection under a socket.io client (its WebSocket transport's, from the `ws` package). */
function tcpOf(socket: Socket): NetSocket {
  const tcp = (socket.io.engine as unknown as { transport: { ws?: { _socket?: NetSocket } } }).transport.ws?._socket;
  if (!tcp) throw new Error("no TCP socket under this socket.io client");
  return tcp;
}

type Run = { sent: number; perSecond: number; p50: number; p95: number; maxRss: number; refusals: object };

/** Streams RATE signed webhooks a second to SITE for `ms`, sampling the server's memory. */
async function streamFor(ms: number): Promise<Run> {
  const stream = new WebhookStream(server.url, { secret: SECRET });
  let maxRss = rssBytes(server.process.pid!);
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssBytes(server.process.pid!))), 250);
  const started = performance.now();
  await stream.run(() => delivery("js-error", (d) => (d.website_id = SITE)), RATE, ms);
  expect(await stream.settle(30_000)).toBe(true);
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await stream.close();
  const latencies = Float64Array.from(stream.ackLatencies).sort();
  const counts = stream.counted();
  return { sent: counts.sent, perSecond: counts.acknowledged / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), maxRss, refusals: counts.refusals };
}

const describeRun = (r: Run) =>
  `${r.sent} sent, ${r.perSecond.toFixed(0)}/s acknowledged, ack p50 ${r.p50.toFixed(1)} ms p95 ${r.p95.toFixed(1)} ms, server RSS max ${(r.maxRss / MB).toFixed(0)} MB`;

describe("slow live subscribers", () => {
  it("do not slow ingest down, and the server drops what they cannot take", async () => {
    const healthy = await subscribe((_, ack) => ack());
    // Warms the server up (compiled code, connections), so that the runs compare like with like.
    const warmUp = await streamFor(3_000);
    const baseline = await streamFor(8_000);
    const baselineReceived = (await receivedUpTo(healthy, warmUp.sent + baseline.sent)) - warmUp.sent;

    const stuck = await subscribe(() => {});
    const slow = await subscribe((_, ack) => ack());
    // Reads from its connection for 20 ms a second; the rest of the time the server's writes back up.
    const slowTcp = tcpOf(slow.socket);
    slowTcp.pause();
    const reader = setInterval(() => {
      slowTcp.resume();
      setTimeout(() => slowTcp.pause(), 20);
    }, 1_000);
    const withSlow = await streamFor(14_000);
    await receivedUpTo(healthy, warmUp.sent + baseline.sent + withSlow.sent);
    clearInterval(reader);
    slowTcp.resume();

    console.log(`without slow subscribers: ${describeRun(baseline)}`);
    console.log(`with slow subscribers:    ${describeRun(withSlow)}`);
    console.log(
      `subscribers: healthy received ${healthy.received}, stuck received ${stuck.received} (resyncs ${stuck.resyncs.join(", ") || "none"}), ` +
        `slow reader received ${slow.received} (resyncs ${slow.resyncs.join(", ") || "none"})`,
    );

    expect(baseline.refusals).toEqual({});
    expect(withSlow.refusals).toEqual({});
    expect(baselineReceived).toBe(baseline.sent);
    expect(healthy.received).toBe(warmUp.sent + baseline.sent + withSlow.sent);
    expect(withSlow.perSecond).toBeGreaterThan(baseline.perSecond * 0.8);
    // Generous: the machine is shared; a subscriber that held ingest up would add seconds.
    expect(withSlow.p50).toBeLessThan(baseline.p50 * 4 + 100);
    expect(withSlow.p95).toBeLessThan(baseline.p95 * 4 + 250);
    // The stuck subscriber's queue was dropped and it was asked to re-read, not sent a backlog.
    expect(stuck.resyncs).toContain("behind");
    expect(stuck.received).toBeLessThan(withSlow.sent);
    expect(withSlow.maxRss).toBeLessThan(baseline.maxRss + 150 * MB);
  }, 120_000);
});
