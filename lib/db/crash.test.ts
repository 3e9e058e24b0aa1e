// Integration: the app started the default way (embedded PostgreSQL under DATA_DIR, no
// DATABASE_URL) is killed with SIGKILL under a stream of signed webhooks and started again on
// the same data directory, with no manual step between. Every webhook acknowledged before the
// kill is stored, and after the sender's retries the database holds each delivery sent once.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { delivery } from "../testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../testing/server";
import { sleep, storedMessageIds, WebhookStream } from "../testing/stream";
import { embeddedDatabaseUrl, isRunning, startEmbeddedDatabase } from "./embedded";

const SECRET = "crash-secret";
const RATE = 150;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function until(check: () => boolean): Promise<void> {
  for (const end = Date.now() + 60_000; !check(); await sleep(20)) {
    if (Date.now() > end) throw new Error("timed out");
  }
}

/** A data directory, and the app started on it the default way in a process group of its own. */
async function installation() {
  const dir = mkdtempSync(path.join(tmpdir(), "lsm-crash-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const settings = { DATABASE_URL: undefined, DATA_DIR: dir, EMBEDDED_DB_PORT: String(port), LIVESESSION_WEBHOOK_SECRET: SECRET };
  const lockFile = path.join(dir, "postgres", "postmaster.pid");
  return {
    lockFile,
    async start(): Promise<AppServer> {
      const server = await startAppServer(settings, { detached: true });
      cleanups.push(() => server.stop());
      return server;
    },
    postmasterPid: () => Number(readFileSync(lockFile, "utf8").split("\n")[0]),
    stored: () => storedMessageIds(embeddedDatabaseUrl(dir, port)),
  };
}

type Installation = Awaited<ReturnType<typeof installation>>;

/** SIGKILL to the app's whole process group: the app and its PostgreSQL stop uncleanly together. */
async function killGroup(install: Installation, server: AppServer): Promise<void> {
  const postmaster = install.postmasterPid();
  process.kill(-server.process.pid!, "SIGKILL");
  await server.stop();
  await until(() => !isRunning(postmaster));
  expect(existsSync(install.lockFile)).toBe(true);
}

/**
 * Streams webhooks to a running app, kills it a few seconds in with `kill`, starts it again,
 * and checks what is stored against what was acknowledged and sent.
 */
async function killUnderLoad(label: string, kill: (install: Installation, server: AppServer) => Promise<void>): Promise<void> {
  const install = await installation();
  const first = await install.start();
  const stream = new WebhookStream(first.url, { secret: SECRET });
  const sending = stream.run(() => delivery("net-error"), RATE, 12_000);
  // Under load: a few seconds' worth acknowledged, more in flight.
  await until(() => stream.acked.size >= 3 * RATE);
  await kill(install, first);
  const ackedBeforeKill = new Set(stream.acked);
  const second = await install.start();
  stream.url = second.url;
  const storedAfterRestart = await install.stored();
  await sending;
  const settled = await stream.settle(60_000);
  await stream.close();
  const counts = stream.counted();
  const stored = await install.stored();
  console.log(
    `${label}: sent ${counts.sent}, acknowledged before the kill ${ackedBeforeKill.size}, 200 first time ${counts.okFirstTime}, ` +
      `network errors ${counts.networkErrors}, 5xx ${counts.serverErrors}, retries ${counts.retries}, stored ${stored.size}`,
  );

  expect([...ackedBeforeKill].filter((id) => !storedAfterRestart.has(id))).toEqual([]);
  expect(counts.networkErrors).toBeGreaterThan(0);
  expect(settled).toBe(true);
  expect(new Set(stored.keys())).toEqual(stream.sent);
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
}

describe("SIGKILL under load, embedded PostgreSQL", () => {
  it("comes back after the app and its PostgreSQL are killed together", async () => {
    await killUnderLoad("app and PostgreSQL killed", killGroup);
  }, 180_000);

  it("comes back after only the app is killed and its PostgreSQL is left running", async () => {
    let orphan = 0;
    await killUnderLoad("app killed, PostgreSQL orphaned", async (install, server) => {
      orphan = install.postmasterPid();
      await server.stop("SIGKILL");
      expect(isRunning(orphan)).toBe(true);
    });
    expect(isRunning(orphan)).toBe(false);
  }, 180_000);

  it("starts when the stale lock names a process that reused the pid, and leaves that process alone", async () => {
    const install = await installation();
    await killGroup(install, await install.start());
    // After a reboot the pid may belong to anything, even another PostgreSQL server.
    const strangerDir = mkdtempSync(path.join(tmpdir(), "lsm-stranger-"));
    cleanups.push(async () => rmSync(strangerDir, { recursive: true, force: true }));
    const stranger = await startEmbeddedDatabase(strangerDir, await freePort());
    cleanups.push(() => stranger.stop());
    const strangerPid = Number(readFileSync(path.join(strangerDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const lock = readFileSync(install.lockFile, "utf8").split("\n");
    writeFileSync(install.lockFile, [String(strangerPid), ...lock.slice(1)].join("\n"));

    const server = await install.start();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(isRunning(strangerPid)).toBe(true);
  }, 120_000);
});
