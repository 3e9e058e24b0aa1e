// Integration: PostgreSQL stops for 10 s under a steady stream of signed webhooks and comes
// back. Every delivery is acknowledged and stored or refused with 503 (so LiveSession retries);
// after the sender's retries the database holds exactly the message_ids sent, once each, and
// the app recovered without a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type DatabaseHandle } from "../db/embedded";
import { applyMigrations } from "../db/migrate";
import { delivery } from "../testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../testing/server";
import { sleep, storedMessageIds, WebhookStream } from "../testing/stream";

const SECRET = "durability-secret";
const RATE = 150;
const OUTAGE_MS = 10_000;

let dir: string;
let port: number;
let database: DatabaseHandle;
let server: AppServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lsm-durability-"));
  port = await freePort();
  database = await startEmbeddedDatabase(dir, port);
  await applyMigrations(database.url);
  server = await startAppServer({ DATABASE_URL: database.url, LIVESESSION_WEBHOOK_SECRET: SECRET });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


describe("when PostgreSQL stops for 10 s mid-stream", () => {
  it("acknowledges only what it stored, refuses the rest with 503, and ends with exactly the deliveries sent", async () => {
    const stream = new WebhookStream(server.url, { secret: SECRET });
    const sending = stream.run(() => delivery("js-error"), RATE, 25_000);

    await sleep(5_000);
    const before = stream.counted();
    await database.stop();
    const stoppedAt = Date.now();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect((await health.json()).error.code).toBe("service_unavailable");
    await sleep(OUTAGE_MS - (Date.now() - stoppedAt));
    database = await startEmbeddedDatabase(dir, port);

    await sending;
    const settled = await stream.settle(60_000);
    await stream.close();
    const counts = stream.counted();
    const stored = await storedMessageIds(database.url);
    console.log(
      `PostgreSQL down ${OUTAGE_MS / 1000} s at ${RATE}/s: sent ${counts.sent}, 200 first time ${counts.okFirstTime}, ` +
        `5xx ${counts.serverErrors} (${JSON.stringify(counts.refusals)}), retries ${counts.retries}, network errors ${counts.networkErrors}, ` +
        `acknowledged ${counts.acknowledged}, stored ${stored.size} (${before.sent} sent before the stop)`,
    );

    expect(settled).toBe(true);
    // The outage was seen, answered 503 only, and never as a dropped connection.
    expect(counts.serverErrors).toBeGreaterThan(RATE);
    // A 500 is an error the server did not recognise as the database being away: its log says which.
    const failures = server.output().split("\n").filter((line) => /"level":(50|60)/.test(line));
    expect({ refusals: Object.keys(counts.refusals), failures: counts.refusals["500"] ? failures : [] }).toEqual({ refusals: ["503"], failures: [] });
    expect(counts.networkErrors).toBe(0);
    expect(new Set(stored.keys())).toEqual(stream.sent);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);
});
