// Integration: the backup and restore procedures in the README. A seeded database is backed up,
// restored elsewhere, and the app started on the copy answers the same figures through the API.
//   External PostgreSQL: pg_dump -Fc, then pg_restore into a new database.
//   Embedded PostgreSQL: stop the app, archive the data directory with tar, unpack it elsewhere, start the app there.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulation } from "../simulator/generate";
import { adminUrl, createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../testing/server";
import { call } from "../testing/users";

const run = promisify(execFile);
const TOKEN = "restore-admin-token-0123456789ab";
const DAY = 86_400_000;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts the app with `env`; stopped after the file's tests (or earlier by the test). */
async function start(env: Record<string, string>): Promise<AppServer> {
  // One public address for both apps, so the webhook URLs they show are the same.
  const server = await startAppServer({ ADMIN_API_TOKEN: TOKEN, PUBLIC_URL: "http://monitor.test", ...env });
  cleanups.push(() => server.stop());
  return server;
}

/** Two days of simulated traffic up to `until`. */
async function seed(server: AppServer, until: number): Promise<void> {
  const simulation = createSimulation({ seed: 5, visitors: 80, duplicateRate: 0.05 });
  const bodies = Array.from({ length: 300 }, (_, i) => simulation.next(new Date(until - 2 * DAY + (i * 2 * DAY) / 300)).body);
  for (let i = 0; i < bodies.length; i += 50) {
    const replies = await Promise.all(bodies.slice(i, i + 50).map((body) => postWebhook(server.url, body)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  }
}

/** The dashboard's figures for every website over a fixed range, as the API answers them. */
async function figures(server: AppServer, until: number): Promise<Record<string, unknown>> {
  const auth = { token: TOKEN };
  const { json } = await call(server.url, "/api/websites", auth);
  const range = `from=${new Date(until - 3 * DAY).toISOString()}&to=${new Date(until + DAY).toISOString()}`;
  const result: Record<string, unknown> = { websites: json };
  for (const { id } of json.websites as { id: string }[]) {
    for (const endpoint of ["stats/totals", "stats/timeseries", "issues?limit=100&", "visitors?limit=100&", "urls?"]) {
      const separator = endpoint.endsWith("&") || endpoint.endsWith("?") ? "" : "?";
      const reply = await call(server.url, `/api/${endpoint}${separator}websiteId=${id}&${range}`, auth);
      expect(reply.status, endpoint).toBe(200);
      result[`${id} ${endpoint}`] = reply.json;
    }
  }
  return result;
}

async function newDatabase(): Promise<string> {
  const name = `lsm_restore_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lsm-restore-"));
  // The embedded PostgreSQL runs as its own user when the tests run as root.
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("backup and restore", () => {
  it("external PostgreSQL: pg_dump -Fc, pg_restore into a new database, the same figures", async () => {
    const source: ScratchDatabase = await createScratchDatabase();
    cleanups.push(() => source.drop());
    const until = Date.now();
    const original = await start({ DATABASE_URL: source.url });
    await seed(original, until);
    const before = await figures(original, until);
    expect(Object.keys(before).length).toBeGreaterThan(5);

    const dump = path.join(await tempDir(), "monitor.dump");
    await run("pg_dump", ["--format=custom", `--file=${dump}`, `--dbname=${source.url}`]);
    const target = await newDatabase();
    await run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${target}`, dump]);
    await original.stop();

    const restored = await start({ DATABASE_URL: target });
    expect(await figures(restored, until)).toEqual(before);
  }, 300_000);

  it("embedded PostgreSQL: stop, tar the data directory, unpack it elsewhere, start there, the same figures", async () => {
    const dataDir = path.join(await tempDir(), "data");
    const until = Date.now();
    const original = await start({ DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(await freePort()) });
    await seed(original, until);
    const before = await figures(original, until);
    await original.stop();

    // As the README says: an archive of the directory, unpacked where the copy starts.
    const archive = path.join(await tempDir(), "monitor-data.tar.gz");
    await run("tar", ["-czf", archive, "-C", dataDir, "."]);
    await rm(dataDir, { recursive: true, force: true });
    const copy = path.join(await tempDir(), "data");
    await mkdir(copy);
    await run("tar", ["-xzf", archive, "-C", copy]);
    const restored = await start({ DATA_DIR: copy, EMBEDDED_DB_PORT: String(await freePort()) });
    expect(await figures(restored, until)).toEqual(before);
  }, 300_000);
});
