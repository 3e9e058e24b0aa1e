// Integration: two instances on one database with LIVE_ADAPTER=redis (a local redis-server
// started for the test: .ci/run installs Debian's redis-server when missing) deliver each other's webhooks.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook } from "../testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../testing/server";
import { call } from "../testing/users";
import type { LiveEvent } from "./live-event";

const REDIS = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) => existsSync(p));
const TOKEN = `admin-api-token-${randomUUID()}`;
const SITE = `site-r-${randomUUID().slice(0, 8)}`;

let redis: ChildProcess | undefined;
let database: ScratchDatabase;
let a: AppServer;
let b: AppServer;

describe("LIVE_ADAPTER=redis", () => {
  beforeAll(async () => {
    if (!REDIS) throw new Error("redis-server not found: install it (apt-get install -y redis-server) to run this test.");
    const port = await freePort();
    redis = spawn(REDIS, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "pipe" });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("redis-server did not start")), 10_000);
      redis!.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    database = await createScratchDatabase();
    const settings = { DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, LIVE_ADAPTER: "redis", REDIS_URL: `redis://127.0.0.1:${port}` };
    [a, b] = await Promise.all([startAppServer(settings), startAppServer(settings)]);
    expect((await call(a.url, "/api/websites", { method: "POST", token: TOKEN, body: { id: SITE } })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    redis?.kill();
  });

  it("a webhook stored by instance A reaches a socket on instance B, filtered", async () => {
    const events: LiveEvent[] = [];
    const socket: Socket = io(b.url, { transports: ["websocket"], auth: { token: TOKEN }, reconnection: false, forceNew: true });
    socket.on("events", (batch: LiveEvent[], ack: () => void) => {
      events.push(...batch);
      ack();
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    expect(await socket.timeout(5000).emitWithAck("subscribe", { websiteId: SITE, filters: { kind: "RageClick" } })).toEqual({ ok: true });
    const sent: string[] = [];
    for (const name of ["js-error", "rage-click", "rage-click"] as const) {
      const d = delivery(name, (x) => (x.website_id = SITE));
      expect((await postWebhook(a.url, d.body)).status).toBe(200);
      if (name === "rage-click") sent.push(d.messageId);
    }
    const end = Date.now() + 5000;
    while (events.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.messageId)).toEqual(sent);
    socket.disconnect();
  });
});
