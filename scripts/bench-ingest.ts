// npm run bench:ingest [-- --duration 20 --connections 64 --json ingest.json]
// Drives the production server with unique signed webhooks from keep-alive connections, then
// GET /api/health the same way, and prints rates, latency percentiles, the ingest/health
// ratio, and whether every acknowledged webhook is in the database; --json also writes them
// to a file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { signBody } from "../lib/livesession/signature";
import { createSimulation } from "../lib/simulator/generate";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { freePort, startAppServer } from "../lib/testing/server";
import { missingFromDatabase, percentile } from "../lib/testing/stream";
import { describeLoad, watchLoad, writeJson } from "./bench-json";
import { ensureBuild } from "./start";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "64" },
    json: { type: "string" },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const CONNECTIONS = Number(args.connections);
const SECRET = "bench-secret";

type Request = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string; id?: string };
type Result = { requests: number; ok: number; failed: number; perSecond: number; p50: number; p99: number; acked: string[] };

/** `connections` loops, each sending its next request as soon as the previous one is answered. */
async function drive(url: string, next: () => Request): Promise<Result> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  const acked: string[] = [];
  let failed = 0;
  const started = performance.now();
  const end = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const request = next();
        const t0 = performance.now();
        const response = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
        await response.body.dump();
        latencies.push(performance.now() - t0);
        if (response.statusCode === 200) {
          if (request.id) acked.push(request.id);
        } else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    ok: latencies.length - failed,
    failed,
    perSecond: (latencies.length - failed) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    acked,
  };
}

function line(name: string, r: Result): string {
  return `${name.padEnd(8)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.ok} ok, ${r.failed} failed)`;
}

ensureBuild();
const dataDir = mkdtempSync(path.join(tmpdir(), "lsm-bench-"));
const database = await startEmbeddedDatabase(dataDir, await freePort());
const server = await startAppServer({ DATABASE_URL: database.url, LIVESESSION_WEBHOOK_SECRET: SECRET });
try {
  const simulation = createSimulation({ seed: 7, duplicateRate: 0 });
  const load = watchLoad();
  console.log(`Driving ${server.url} for ${DURATION_MS / 1000} s per route from ${CONNECTIONS} keep-alive connections…`);
  const ingest = await drive(server.url, () => {
    const { body, messageId } = simulation.next(new Date());
    return {
      method: "POST",
      path: "/api/webhooks/livesession",
      headers: { "content-type": "application/json", "livesession-signature": signBody(body, SECRET) },
      body,
      id: messageId,
    };
  });
  const health = await drive(server.url, () => ({ method: "GET", path: "/api/health" }));
  console.log(line("ingest", ingest));
  console.log(line("health", health));
  console.log(`ratio    ingest/health = ${(ingest.perSecond / health.perSecond).toFixed(2)}`);
  const missing = (await missingFromDatabase(database.url, ingest.acked)).length;
  console.log(`verify   ${ingest.acked.length} acknowledged, ${missing} missing from the database`);
  const machine = load();
  console.log(`machine  ${describeLoad(machine)}`);
  const figures = ({ acked, ...rest }: Result) => rest;
  writeJson(args.json, {
    durationSeconds: DURATION_MS / 1000,
    connections: CONNECTIONS,
    ingest: figures(ingest),
    health: figures(health),
    ratio: ingest.perSecond / health.perSecond,
    acknowledged: ingest.acked.length,
    missing,
    machine,
  });
  process.exitCode = missing === 0 ? 0 : 1;
} finally {
  await server.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
