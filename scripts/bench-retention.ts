// npm run bench:retention [-- --events 20000 --rate 200]
// Seeds the production server (fresh embedded database) with `events` webhooks from two to
// three days ago, then posts current webhooks at a steady `rate` while a retention run
// (RETENTION_DAYS=1) removes the old ones. Prints the run's time and rate, and the webhooks'
// acknowledgement latency before and during the run: retention must not hold ingest up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { createSimulation } from "../lib/simulator/generate";
import { freePort, startAppServer } from "../lib/testing/server";
import { ensureBuild } from "./start";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    rate: { type: "string", default: "200" },
  },
});
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const TOKEN = "bench-retention-admin-token-0123";
const DAY = 86_400_000;
const BASELINE_MS = 5_000;

const simulation = createSimulation({ seed: 3, duplicateRate: 0 });

async function post(pool: Pool, at: Date): Promise<number> {
  const { body } = simulation.next(at);
  const t0 = performance.now();
  const response = await pool.request({ method: "POST", path: "/api/webhooks/livesession", headers: { "content-type": "application/json" }, body });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}`);
  return performance.now() - t0;
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  return `${sorted.length} webhooks, ack p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
}

ensureBuild();
const dataDir = mkdtempSync(path.join(tmpdir(), "lsm-bench-retention-"));
const database = await startEmbeddedDatabase(dataDir, await freePort());
// Seeded with the default retention, so that no scheduled run removes the old events before the measured one.
const seeder = await startAppServer({ DATABASE_URL: database.url });
const seeding = new Pool(seeder.url, { connections: 32, keepAliveTimeout: 60_000 });
console.log(`Seeding ${EVENTS} webhooks from 2-3 days ago…`);
const start = Date.now() - 3 * DAY;
let sent = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (sent < EVENTS) await post(seeding, new Date(start + (sent++ * DAY) / EVENTS));
  }),
);
await seeding.close();
await seeder.stop();

// Measured within a minute of start-up, before the first scheduled run.
const server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, RETENTION_DAYS: "1" });
const pool = new Pool(server.url, { connections: 32, keepAliveTimeout: 60_000 });
try {

  // A steady stream of current webhooks, `RATE` a second, each timed from send to acknowledgement.
  const baseline: number[] = [];
  const during: number[] = [];
  let phase: number[] | null = baseline;
  const inFlight: Promise<void>[] = [];
  const timer = setInterval(() => {
    const into = phase;
    if (into) inFlight.push(post(pool, new Date()).then((ms) => void into.push(ms)));
  }, 1000 / RATE);
  await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
  phase = during;
  const t0 = performance.now();
  const reply = await fetch(`${server.url}/api/retention/run`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
  const seconds = (performance.now() - t0) / 1000;
  phase = null;
  clearInterval(timer);
  await Promise.all(inFlight);
  const { run } = (await reply.json()) as { run: { events: number; issues: number; visitors: number; error: string | null } };
  if (run.error) throw new Error(`retention failed: ${run.error}`);
  console.log(
    `retention ${run.events} events, ${run.issues} issues, ${run.visitors} visitors removed in ${seconds.toFixed(1)} s (${(run.events / seconds).toFixed(0)} events/s)`,
  );
  console.log(`before    ${summary(baseline)}`);
  console.log(`during    ${summary(during)}`);
} finally {
  await pool.close();
  await server.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
