// npm run bench:soak [-- --duration 120 --rate 200 --sample 5 --json soak.json --no-build]
// Runs the simulator's deliveries (lib/simulator/generate.ts: three websites, 2% byte-identical
// retries, signed) at a steady rate against the production server on a fresh embedded
// database, with the live overview of the first website open in headless Chromium. Deliveries
// answered 5xx or lost on the network are retried with back-off, as LiveSession does. Prints
// throughput, ack latency percentiles, the server's memory over time (a series, first, last,
// max and its slope over the second half), the database's size per million events, and lost
// deliveries (acknowledged but not stored); --json also writes all of it to a file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { signBody } from "../lib/livesession/signature";
import { createSimulation } from "../lib/simulator/generate";
import { openLiveOverview } from "../lib/testing/chromium";
import { delivery, postWebhook } from "../lib/testing/deliveries";
import { freePort, rssBytes, startAppServer } from "../lib/testing/server";
import { missingFromDatabase, percentile, WebhookStream } from "../lib/testing/stream";
import { describeLoad, watchLoad, writeJson } from "./bench-json";
import { ensureBuild } from "./start";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "120" },
    rate: { type: "string", default: "200" },
    /** Seconds between memory samples. */
    sample: { type: "string", default: "5" },
    json: { type: "string" },
    /** Use the existing .next build as it is. */
    "no-build": { type: "boolean", default: false },
  },
});
const DURATION_S = Number(args.duration);
const RATE = Number(args.rate);
const SAMPLE_S = Number(args.sample);
for (const [name, value] of [["duration", DURATION_S], ["rate", RATE], ["sample", SAMPLE_S]] as const) {
  if (!(value > 0)) {
    console.error(`bench:soak: --${name} must be a positive number`);
    process.exit(2);
  }
}
const SECRET = "soak-secret";
const MB = 1024 * 1024;

type Sample = { seconds: number; rssMb: number; acknowledged: number };

/** Least-squares slope of rssMb over time, in MB per minute. */
function slopePerMinute(samples: Sample[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mx = samples.reduce((s, x) => s + x.seconds, 0) / n;
  const my = samples.reduce((s, x) => s + x.rssMb, 0) / n;
  const sxy = samples.reduce((s, x) => s + (x.seconds - mx) * (x.rssMb - my), 0);
  const sxx = samples.reduce((s, x) => s + (x.seconds - mx) ** 2, 0);
  return (sxy / sxx) * 60;
}

async function databaseFigures(databaseUrl: string): Promise<{ events: number; bytes: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT (SELECT count(*) FROM events)::bigint AS events, pg_database_size(current_database()) AS bytes");
    return { events: Number(rows[0].events), bytes: Number(rows[0].bytes) };
  } finally {
    await client.end();
  }
}

if (!args["no-build"]) ensureBuild();
const dataDir = mkdtempSync(path.join(tmpdir(), "lsm-bench-soak-"));
const database = await startEmbeddedDatabase(dataDir, await freePort());
const server = await startAppServer({ DATABASE_URL: database.url, LIVESESSION_WEBHOOK_SECRET: SECRET });
const simulation = createSimulation({ seed: 11 });
const watched = simulation.websites[0]!.id;
const seed = delivery("js-error", (d) => (d.website_id = watched)).body;
await postWebhook(server.url, seed, { "content-type": "application/json", "livesession-signature": signBody(seed, SECRET) });
const { browser, page } = await openLiveOverview(server.url, watched);
try {
  const before = await databaseFigures(database.url);
  const load = watchLoad();
  console.log(`Soak: ${RATE} deliveries/s for ${DURATION_S} s to ${server.url}, overview of ${watched} open in Chromium; memory every ${SAMPLE_S} s`);
  const stream = new WebhookStream(server.url, { secret: SECRET });
  const pid = server.process.pid!;
  const started = performance.now();
  const samples: Sample[] = [];
  const sample = () => {
    const point = { seconds: Math.round((performance.now() - started) / 100) / 10, rssMb: Math.round((rssBytes(pid) / MB) * 10) / 10, acknowledged: stream.acked.size };
    samples.push(point);
    console.log(`[${point.seconds.toFixed(0).padStart(5)} s] ${String(point.acknowledged).padStart(8)} acknowledged   server RSS ${point.rssMb.toFixed(1)} MB`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_S * 1000);
  await stream.run(() => simulation.next(new Date()), RATE, DURATION_S * 1000);
  const sendSeconds = (performance.now() - started) / 1000;
  // A server that fell behind works through its backlog first (like the deliveries LiveSession retries).
  await stream.settle(Math.max(60, DURATION_S) * 1000);
  await stream.close();
  clearInterval(sampler);
  sample();
  const ackSeconds = (stream.lastAckAt - started) / 1000;

  const counts = stream.counted();
  const latencies = Float64Array.from(stream.ackLatencies).sort();
  const lost = await missingFromDatabase(database.url, stream.acked);
  const after = await databaseFigures(database.url);
  const pageLive = (await page.locator('[data-live-status="live"]').count()) > 0;
  const rss = samples.map((s) => s.rssMb);
  const report = {
    rate: RATE,
    durationSeconds: DURATION_S,
    deliveries: counts,
    sendSeconds,
    /** Until every delivery was acknowledged: longer than sendSeconds when the server fell behind. */
    ackSeconds,
    throughputPerSecond: counts.acknowledged / ackSeconds,
    ackLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
    serverRss: {
      samples,
      firstMb: rss[0]!,
      lastMb: rss.at(-1)!,
      maxMb: Math.max(...rss),
      slopeMbPerMinute: slopePerMinute(samples),
      // A leak raises the floor that garbage collection comes back down to.
      floorFirstHalfMb: Math.min(...rss.slice(0, Math.ceil(rss.length / 2))),
      floorSecondHalfMb: Math.min(...rss.slice(Math.floor(rss.length / 2))),
    },
    database: { events: after.events, bytes: after.bytes, mbPerMillionEvents: (after.bytes - before.bytes) / MB / ((after.events - before.events) / 1e6) },
    lost: lost.length,
    unacknowledged: counts.sent - counts.acknowledged,
    pageLive,
    machine: load(),
  };

  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  console.log(`
deliveries  ${counts.deliveries} sent (${counts.sent} distinct message_ids, ${counts.acknowledged} of them acknowledged), ${counts.okFirstTime} acknowledged first time, ${counts.serverErrors} 5xx, ${counts.networkErrors} network errors, ${counts.retries} retries${Object.keys(counts.refusals).length ? `, refusals ${JSON.stringify(counts.refusals)}` : ""}
throughput  ${report.throughputPerSecond.toFixed(1)} acknowledged/s (target ${RATE}/s): sent in ${sendSeconds.toFixed(0)} s, all acknowledged after ${ackSeconds.toFixed(0)} s${ackSeconds > sendSeconds * 1.05 ? " (the server fell behind; latency includes the wait in the sender's queue)" : ""}
ack latency p50 ${ms(report.ackLatencyMs.p50)}  p95 ${ms(report.ackLatencyMs.p95)}  p99 ${ms(report.ackLatencyMs.p99)}  max ${ms(report.ackLatencyMs.max)}
server RSS  ${rss.map((x) => x.toFixed(0)).join(" ")} MB
            first ${report.serverRss.firstMb.toFixed(1)} MB, last ${report.serverRss.lastMb.toFixed(1)} MB, max ${report.serverRss.maxMb.toFixed(1)} MB; slope ${report.serverRss.slopeMbPerMinute.toFixed(2)} MB/min; floor ${report.serverRss.floorFirstHalfMb.toFixed(1)} MB in the first half, ${report.serverRss.floorSecondHalfMb.toFixed(1)} MB in the second
database    ${after.events} events, ${(after.bytes / MB).toFixed(1)} MB: ${report.database.mbPerMillionEvents.toFixed(0)} MB per million events
lost        ${report.lost} acknowledged but not stored; ${report.unacknowledged} never acknowledged
browser     overview ${pageLive ? "still live" : "NOT live"} at the end
machine     ${describeLoad(report.machine)}`);
  writeJson(args.json, report);
  process.exitCode = report.unacknowledged === 0 && report.lost === 0 && pageLive && Object.keys(counts.refusals).length === 0 ? 0 : 1;
} finally {
  await browser.close();
  await server.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
