// Integration: the database stops under the app and comes back. Nothing acknowledged is lost,
// refusals are 503 (so LiveSession retries), and the app recovers without a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type DatabaseHandle } from "../db/embedded";
import { applyMigrations } from "../db/migrate";
import { delivery, postWebhook } from "../testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../testing/server";

let dir: string;
let port: number;
let database: DatabaseHandle;
let server: AppServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lsm-durability-"));
  port = await freePort();
  database = await startEmbeddedDatabase(dir, port);
  await applyMigrations(database.url);
  server = await startAppServer({ DATABASE_URL: database.url });
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function storedIds(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query("SELECT message_id FROM events");
  await client.end();
  return new Set(rows.map((r) => r.message_id));
}

describe("when PostgreSQL is down", () => {
  it("answers 503, acknowledges nothing it did not store, and recovers by itself", async () => {
    const sent = Array.from({ length: 30 }, () => delivery("js-error"));
    const acked = new Set<string>();
    const refused: typeof sent = [];

    for (const d of sent.slice(0, 10)) {
      const response = await postWebhook(server.url, d.body);
      expect(response.status).toBe(200);
      acked.add(d.messageId);
    }

    await database.stop();
    for (const d of sent.slice(10, 20)) {
      const response = await postWebhook(server.url, d.body);
      expect(response.status).toBe(503);
      expect(response.json.error.code).toBe("service_unavailable");
      refused.push(d);
    }
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect((await health.json()).error.code).toBe("service_unavailable");

    database = await startEmbeddedDatabase(dir, port);
    // Like LiveSession, retry refused deliveries until they are acknowledged (bounded).
    const pending = [...refused, ...sent.slice(20)];
    const deadline = Date.now() + 20_000;
    while (pending.length > 0 && Date.now() < deadline) {
      const d = pending[0]!;
      const response = await postWebhook(server.url, d.body);
      expect([200, 503]).toContain(response.status);
      if (response.status === 200) {
        acked.add(d.messageId);
        pending.shift();
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(pending).toHaveLength(0);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.process.exitCode).toBeNull();

    expect(await storedIds()).toEqual(new Set(sent.map((d) => d.messageId)));
    expect(acked.size).toBe(sent.length);
  });
});
