// npm run bench:live [-- --rate 1000 --duration 10 --instances 1|2 --json live.json --no-build]
// Opens the overview in headless Chromium, posts webhooks at a steady rate, and measures for
// each one the time from its 200 to the page showing it (the page's live event count reaching
// it), then prints p50/p95/p99/max and the page's frame rate and longest task (--json also writes
// them to a file). With --instances 2 the webhooks go to instance A and the browser watches
// instance B (LIVE_ADAPTER=postgres).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { delivery, fixture, FIXTURES, postWebhook } from "../lib/testing/deliveries";
import { openLiveOverview } from "../lib/testing/chromium";
import { freePort, startAppServer } from "../lib/testing/server";
import { percentile } from "../lib/testing/stream";
import { describeLoad, watchLoad, writeJson } from "./bench-json";
import { ensureBuild } from "./start";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "1000" },
    duration: { type: "string", default: "10" },
    instances: { type: "string", default: "1" },
    json: { type: "string" },
    /** Use the existing .next build as it is. */
    "no-build": { type: "boolean", default: false },
  },
});
const RATE = Number(args.rate);
const DURATION_MS = Number(args.duration) * 1000;
const INSTANCES = Number(args.instances) === 2 ? 2 : 1;
const SITE = "bench-live";

if (!args["no-build"]) ensureBuild();
const dataDir = mkdtempSync(path.join(tmpdir(), "lsm-bench-live-"));
const database = await startEmbeddedDatabase(dataDir, await freePort());
const settings = { DATABASE_URL: database.url, LIVE_ADAPTER: INSTANCES === 2 ? "postgres" : "none" };
const servers = await Promise.all(Array.from({ length: INSTANCES }, () => startAppServer(settings)));
const ingest = servers[0]!;
const viewer = servers.at(-1)!;
await postWebhook(ingest.url, delivery("js-error", (d) => (d.website_id = SITE)).body);
const { browser, page } = await openLiveOverview(viewer.url, SITE);
try {
  // In the page: every change of the live event count with its time, frames and long tasks.
  // A string, not a function: tsx would wrap the function's inner names in a helper the page lacks.
  await page.evaluate(`(() => {
    const w = window;
    const total = document.querySelector("[data-live-total]");
    const read = () => Number(total.textContent.replace(/,/g, ""));
    w.__counts = [[performance.timeOrigin + performance.now(), read()]];
    new MutationObserver(() => w.__counts.push([performance.timeOrigin + performance.now(), read()])).observe(total, {
      childList: true, characterData: true, subtree: true,
    });
    w.__frames = 0;
    w.__longest = 0;
    w.__run = true;
    const frame = () => { w.__frames++; if (w.__run) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    }).observe({ type: "longtask", buffered: false });
  })()`);
  const base = (await page.evaluate(() => (window as unknown as { __counts: [number, number][] }).__counts[0]![1])) as number;

  console.log(`Posting ${RATE} webhooks/s for ${DURATION_MS / 1000} s to ${ingest.url}; browser on ${viewer.url} (${INSTANCES} instance${INSTANCES > 1 ? "s" : ""})…`);
  // Prepared beforehand, so that the sender keeps the rate.
  const templates = FIXTURES.map((name) => fixture(name));
  const bodies = Array.from({ length: Math.round((RATE * DURATION_MS) / 1000) }, (_, i) => {
    const d = structuredClone(templates[i % templates.length]!);
    d.message_id = randomUUID();
    d.website_id = SITE;
    d.created_at = Math.floor(Date.now() / 1000);
    d.payload.time = Date.now();
    return JSON.stringify(d);
  });
  const load = watchLoad();
  const pool = new Pool(ingest.url, { connections: 128, pipelining: 1 });
  const acked: number[] = [];
  let failed = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const total = Math.round((RATE * DURATION_MS) / 1000);
  const frameStart = Date.now();
  const frames0 = (await page.evaluate(() => (window as unknown as { __frames: number }).__frames)) as number;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i]!;
    inFlight.push(
      pool
        .request({ method: "POST", path: "/api/webhooks/livesession", headers: { "content-type": "application/json" }, body })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode === 200) acked.push(Date.now());
          else failed++;
        }),
    );
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1000;
  // Until the page has counted every acknowledged webhook (or 10 s more).
  const target = base + acked.length;
  await page.waitForFunction((target) => {
    const c = (window as unknown as { __counts: [number, number][] }).__counts;
    return c.length > 0 && c.at(-1)![1] >= target;
  }, target, { timeout: 10_000 }).catch(() => {});
  const { counts, frames, longest } = (await page.evaluate(() => {
    const w = window as unknown as { __counts: [number, number][]; __frames: number; __longest: number; __run: boolean };
    w.__run = false;
    return { counts: w.__counts, frames: w.__frames, longest: w.__longest };
  })) as { counts: [number, number][]; frames: number; longest: number };
  const fps = (frames - frames0) / ((Date.now() - frameStart) / 1000);
  await pool.close();

  // The k-th acknowledged webhook is shown when the count first reaches base + k.
  acked.sort((x, y) => x - y);
  const latencies: number[] = [];
  let c = 0;
  let missing = 0;
  for (let k = 0; k < acked.length; k++) {
    while (c < counts.length && counts[c]![1] < base + k + 1) c++;
    if (c >= counts.length) {
      missing++;
      continue;
    }
    latencies.push(Math.max(0, counts[c]![0] - acked[k]!));
  }
  latencies.sort((x, y) => x - y);
  const shown = counts.at(-1)![1] - base;
  const latencyMs = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN };
  const machine = load();
  console.log(`sent     ${acked.length} acknowledged (${(acked.length / sendSeconds).toFixed(0)}/s), ${failed} failed`);
  console.log(`shown    ${shown} counted by the page, ${missing} never shown`);
  console.log(`latency  200 → on the page: p50 ${latencyMs.p50.toFixed(0)} ms  p95 ${latencyMs.p95.toFixed(0)} ms  p99 ${latencyMs.p99.toFixed(0)} ms  max ${latencyMs.max.toFixed(0)} ms`);
  console.log(`browser  ${fps.toFixed(1)} frames/s, longest task ${longest.toFixed(0)} ms`);
  console.log(`machine  ${describeLoad(machine)}`);
  writeJson(args.json, {
    rate: RATE,
    durationSeconds: DURATION_MS / 1000,
    instances: INSTANCES,
    acknowledged: acked.length,
    failed,
    sentPerSecond: acked.length / sendSeconds,
    shown,
    neverShown: missing,
    latencyMs,
    framesPerSecond: fps,
    longestTaskMs: longest,
    machine,
  });
  process.exitCode = missing === 0 && shown === acked.length ? 0 : 1;
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.stop()));
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
