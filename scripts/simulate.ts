/**
 * Posts simulated LiveSession `session.event` webhooks at a steady rate (demo and load generator).
 *
 *   npm run simulate -- [--url URL] [--rate N] [--duration S] [--secret S] [--seed N] [--burst | --no-bursts]
 *
 * Run with --help for every option. Exit codes: 0 ok; 1 some delivery was answered 4xx (the app
 * rejected a valid payload); 2 bad arguments; 3 no delivery was acknowledged at all.
 */
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { env } from "../lib/env";
import { signBody } from "../lib/livesession/signature";
import { createSimulation, type BurstSpec, type SimulatedDelivery } from "../lib/simulator/generate";

const DEFAULT_URL = "http://localhost:3000/api/webhooks/livesession";
const DEFAULT_PATH = "/api/webhooks/livesession";
const SIGNATURE_HEADER = "LiveSession-Signature";
const PROGRESS_EVERY_MS = 5_000;

const USAGE = `Usage: npm run simulate -- [options]

  --url URL             webhook endpoint (default ${DEFAULT_URL});
                        a URL without a path gets ${DEFAULT_PATH}
  --rate N              deliveries per second (default 20)
  --duration S          seconds to send for (default 60)
  --secret S            webhook secret for the ${SIGNATURE_HEADER} header
                        (default: $LIVESESSION_WEBHOOK_SECRET; unsigned if neither)
  --seed N              generator seed (default 42)
  --burst               inject bursts (the default)
  --no-bursts           no bursts
  --burst-every S       seconds between bursts (default 15)
  --burst-factor X      rate multiplier during a burst (default 10)
  --burst-length S      seconds a burst lasts (default 2)
  --connections N       keep-alive connections (default 32)
  --websites N          simulated websites (default 3)
  --visitors N          simulated visitors (default 5000)
  --duplicate-rate R    share of deliveries re-sent as retries of earlier ones (default 0.02)
  --max-retries N       retries of a delivery answered 503/429 or failed on the network (default 5)
  --drain S             seconds to wait after --duration for in-flight requests and retries (default 20)
  --timeout S           per-request timeout (default 10)
  --allow-remote        allow a target that is not a loopback address
  -h, --help            this help
`;

class UsageError extends Error {}

interface Config {
  url: URL;
  rate: number;
  durationS: number;
  secret: string | undefined;
  secretSource: string;
  seed: number;
  bursts: boolean;
  burstEveryS: number;
  burstFactor: number;
  burstLengthS: number;
  connections: number;
  websites: number;
  visitors: number;
  duplicateRate: number;
  maxRetries: number;
  drainS: number;
  timeoutS: number;
}

function num(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, what: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what} (got "${raw}")`);
  return n;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::1" || h === "::ffff:127.0.0.1";
}

function parseConfig(argv: string[]): Config | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      secret: { type: "string" },
      seed: { type: "string" },
      burst: { type: "boolean" },
      bursts: { type: "boolean" },
      "no-bursts": { type: "boolean" },
      "no-burst": { type: "boolean" },
      "burst-every": { type: "string" },
      "burst-factor": { type: "string" },
      "burst-length": { type: "string" },
      connections: { type: "string" },
      websites: { type: "string" },
      visitors: { type: "string" },
      "duplicate-rate": { type: "string" },
      "max-retries": { type: "string" },
      drain: { type: "string" },
      timeout: { type: "string" },
      "allow-remote": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";

  const rawUrl = values.url ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl) ? rawUrl : `http://${rawUrl}`);
  } catch {
    throw new UsageError(`--url is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--url must be http or https");
  if (url.pathname === "" || url.pathname === "/") url.pathname = DEFAULT_PATH;
  if (!values["allow-remote"] && !isLoopback(url.hostname)) {
    throw new UsageError(`refusing to send to ${url.hostname}: not a loopback address (pass --allow-remote to override)`);
  }

  const bursts = !(values["no-bursts"] || values["no-burst"]);
  if (!bursts && (values.burst || values.bursts)) throw new UsageError("--burst and --no-bursts contradict each other");

  const envSecret = env().LIVESESSION_WEBHOOK_SECRET;
  const secret = values.secret !== undefined ? values.secret : envSecret || undefined;
  const secretSource = values.secret !== undefined ? "--secret" : secret ? "LIVESESSION_WEBHOOK_SECRET" : "none";

  const positive = (n: number) => n > 0;
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  return {
    url,
    rate: num("rate", values.rate, 20, positive, "a positive number"),
    durationS: num("duration", values.duration, 60, positive, "a positive number of seconds"),
    secret,
    secretSource,
    seed: num("seed", values.seed, 42, Number.isInteger, "an integer"),
    bursts,
    burstEveryS: num("burst-every", values["burst-every"], 15, positive, "a positive number of seconds"),
    burstFactor: num("burst-factor", values["burst-factor"], 10, (n) => n >= 1, "at least 1"),
    burstLengthS: num("burst-length", values["burst-length"], 2, positive, "a positive number of seconds"),
    connections: num("connections", values.connections, 32, (n) => positiveInt(n) && n <= 4096, "an integer 1..4096"),
    websites: num("websites", values.websites, 3, (n) => positiveInt(n) && n <= 1000, "an integer 1..1000"),
    visitors: num("visitors", values.visitors, 5000, (n) => positiveInt(n) && n <= 10_000_000, "a positive integer"),
    duplicateRate: num("duplicate-rate", values["duplicate-rate"], 0.02, (n) => n >= 0 && n <= 1, "between 0 and 1"),
    maxRetries: num("max-retries", values["max-retries"], 5, (n) => Number.isInteger(n) && n >= 0 && n <= 20, "an integer 0..20"),
    drainS: num("drain", values.drain, 20, (n) => n >= 0 && n <= 600, "0..600 seconds"),
    timeoutS: num("timeout", values.timeout, 10, (n) => n > 0 && n <= 300, "0..300 seconds"),
  };
}

/** The URL for printing: no credentials. */
function displayUrl(url: URL): string {
  const u = new URL(url.href);
  u.username = "";
  u.password = "";
  return u.href;
}

// ---------------------------------------------------------------------------------------------

interface Job {
  delivery: SimulatedDelivery;
  signature: string | undefined;
  /** Attempts made so far. */
  attempts: number;
  dueAt: number;
}

/** Min-heap of jobs by `dueAt` (pending retries). */
class RetryQueue {
  private heap: Job[] = [];
  get size(): number {
    return this.heap.length;
  }
  peek(): Job | undefined {
    return this.heap[0];
  }
  push(job: Job): void {
    const h = this.heap;
    h.push(job);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as Job).dueAt <= job.dueAt) break;
      h[i] = h[p] as Job;
      i = p;
    }
    h[i] = job;
  }
  pop(): Job | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let mv = last;
      if (l < h.length && (h[l] as Job).dueAt < mv.dueAt) {
        m = l;
        mv = h[l] as Job;
      }
      if (r < h.length && (h[r] as Job).dueAt < mv.dueAt) m = r;
      if (m === i) break;
      h[i] = h[m] as Job;
      i = m;
    }
    h[i] = last;
    return top;
  }
  clear(): Job[] {
    const all = this.heap;
    this.heap = [];
    return all;
  }
}

class Latencies {
  private all: number[] = [];
  private window: number[] = [];
  private seen = 0;
  private static readonly CAP = 200_000;
  add(ms: number): void {
    this.window.push(ms);
    this.seen++;
    if (this.all.length < Latencies.CAP) this.all.push(ms);
    else {
      // Reservoir sampling keeps memory bounded on long runs.
      const j = Math.floor(Math.random() * this.seen);
      if (j < Latencies.CAP) this.all[j] = ms;
    }
  }
  static quantiles(xs: number[], qs: number[]): number[] {
    if (xs.length === 0) return qs.map(() => NaN);
    const s = Float64Array.from(xs).sort();
    return qs.map((q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number);
  }
  takeWindow(): number[] {
    const w = this.window;
    this.window = [];
    return w;
  }
  overall(qs: number[]): number[] {
    return Latencies.quantiles(this.all, qs);
  }
}

const fmtMs = (n: number) => (Number.isNaN(n) ? "-" : n < 10 ? n.toFixed(1) : n.toFixed(0));

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function fmtMap(map: Map<string, number>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
}

async function main(): Promise<number> {
  let config: Config | "help";
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`simulate: ${message}\n\n${USAGE}`);
    return 2;
  }
  if (config === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const cfg = config;

  const sim = createSimulation({ seed: cfg.seed, websites: cfg.websites, visitors: cfg.visitors, duplicateRate: cfg.duplicateRate });
  const path = cfg.url.pathname + cfg.url.search;
  const timeoutMs = cfg.timeoutS * 1000;
  const pool = new Pool(cfg.url.origin, {
    connections: cfg.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 5_000),
  });
  const maxInFlight = Math.max(64, cfg.connections * 8);
  const burstExtraRate = cfg.bursts ? cfg.rate * (cfg.burstFactor - 1) : 0;

  console.log(
    `simulate → ${displayUrl(cfg.url)}\n` +
      `  ${cfg.rate}/s for ${cfg.durationS}s, seed ${cfg.seed}, ${cfg.websites} websites (${sim.websites.map((w) => w.id).join(", ")}), ` +
      `${cfg.visitors} visitors, ${cfg.connections} connections, duplicates ${(cfg.duplicateRate * 100).toFixed(1)}%\n` +
      `  bursts: ${burstExtraRate > 0 ? `every ${cfg.burstEveryS}s, ×${cfg.burstFactor} for ${cfg.burstLengthS}s` : "off"}; ` +
      `signing: ${cfg.secret ? `on (secret from ${cfg.secretSource})` : "off (no secret)"}`,
  );

  // Counters.
  const c = {
    fresh: 0,
    duplicates: 0,
    burst: 0,
    attempts: 0,
    ok: 0,
    s3xx: 0,
    s4xx: 0,
    s4xxDuplicates: 0,
    s5xx: 0,
    throttled: 0,
    netErrors: 0,
    retries: 0,
    gaveUp: 0,
    abandoned: 0,
    unsent: 0,
  };
  const statusCounts = new Map<string, number>();
  const netErrorCodes = new Map<string, number>();
  const rejectSamples: string[] = [];
  const latencies = new Latencies();
  const retryQueue = new RetryQueue();
  let inFlight = 0;
  let closing = false;

  const backoffMs = (attempt: number, retryAfter: string | undefined): number => {
    const header = retryAfter !== undefined ? Number(retryAfter) : NaN;
    if (Number.isFinite(header) && header >= 0) return Math.min(60_000, header * 1000) + Math.random() * 250;
    const base = 500 * 2 ** (attempt - 1); // 0.5 s, 1 s, 2 s, 4 s, 8 s, ...
    return Math.min(30_000, base) * (0.75 + Math.random() * 0.5);
  };

  const retryLater = (job: Job, retryAfter: string | undefined): void => {
    if (job.attempts > cfg.maxRetries || closing) {
      c.gaveUp++;
      return;
    }
    job.dueAt = performance.now() + backoffMs(job.attempts, retryAfter);
    retryQueue.push(job);
  };

  const send = (job: Job): void => {
    job.attempts++;
    c.attempts++;
    if (job.attempts > 1) c.retries++;
    inFlight++;
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "livesession-simulator/1.0" };
    if (job.signature) headers[SIGNATURE_HEADER] = job.signature;
    const t0 = performance.now();
    pool
      .request({ path, method: "POST", headers, body: job.delivery.body })
      .then(async (res) => {
        const status = res.statusCode;
        latencies.add(performance.now() - t0);
        bump(statusCounts, String(status));
        if (status >= 400 && status < 500 && status !== 429) {
          const text = await res.body.text().catch(() => "");
          if (rejectSamples.length < 5) {
            rejectSamples.push(
              `${status} ${job.delivery.kind}${job.delivery.isDuplicate ? " (duplicate)" : ""} message_id=${job.delivery.messageId}: ${text.replace(/\s+/g, " ").slice(0, 300)}`,
            );
          }
        } else {
          await res.body.dump().catch(() => undefined);
        }
        if (status >= 200 && status < 300) c.ok++;
        else if (status < 400) c.s3xx++;
        else if (status === 429) {
          c.throttled++;
          const ra = res.headers["retry-after"];
          retryLater(job, Array.isArray(ra) ? ra[0] : ra);
        } else if (status < 500) {
          c.s4xx++;
          if (job.delivery.isDuplicate) c.s4xxDuplicates++;
        } else {
          c.s5xx++;
          if (status === 503) {
            const ra = res.headers["retry-after"];
            retryLater(job, Array.isArray(ra) ? ra[0] : ra);
          }
        }
      })
      .catch((err: unknown) => {
        if (closing) {
          c.abandoned++;
          return;
        }
        c.netErrors++;
        const code = (err as { code?: string } | null)?.code ?? (err instanceof Error ? err.name : "error");
        bump(netErrorCodes, code);
        retryLater(job, undefined);
      })
      .finally(() => {
        inFlight--;
      });
  };

  const newJob = (delivery: SimulatedDelivery): Job => ({
    delivery,
    signature: cfg.secret ? signBody(delivery.body, cfg.secret) : undefined,
    attempts: 0,
    dueAt: 0,
  });

  // Pacing: the number of deliveries due is a function of elapsed time, so timer jitter only
  // changes how many go out per tick, not the rate.
  const start = performance.now();
  const durationMs = cfg.durationS * 1000;
  let issuedBase = 0;
  let burstWindow = 0;
  let burstIssued = 0;
  let burstSpec: BurstSpec | undefined;
  let stopRequested = false;
  let lastProgress = { at: start, fresh: 0, attempts: 0, ok: 0 };

  const progress = (final = false): void => {
    const now = performance.now();
    const dt = (now - lastProgress.at) / 1000;
    if (final && dt < 1) return; // the summary follows; a rate over a sliver of time says nothing
    const fresh = c.fresh + c.duplicates + c.burst;
    const rate = dt > 0 ? (fresh - lastProgress.fresh) / dt : 0;
    const ackRate = dt > 0 ? (c.ok - lastProgress.ok) / dt : 0;
    const [p50, p99] = Latencies.quantiles(latencies.takeWindow(), [0.5, 0.99]);
    lastProgress = { at: now, fresh, attempts: c.attempts, ok: c.ok };
    const el = ((now - start) / 1000).toFixed(1).padStart(6);
    console.log(
      `[${el}s] sent ${fresh} | 2xx ${c.ok} | 4xx ${c.s4xx} | 5xx ${c.s5xx}` +
        (c.throttled ? ` | 429 ${c.throttled}` : "") +
        ` | net-err ${c.netErrors} | retries ${c.retries} | in-flight ${inFlight}` +
        (retryQueue.size ? ` | waiting ${retryQueue.size}` : "") +
        ` | rate ${rate.toFixed(1)}/s (2xx ${ackRate.toFixed(1)}/s) | p50 ${fmtMs(p50 ?? NaN)}ms p99 ${fmtMs(p99 ?? NaN)}ms` +
        (burstSpec && !final ? " | BURST" : ""),
    );
  };
  const progressTimer = setInterval(() => progress(), PROGRESS_EVERY_MS);

  // First Ctrl-C: stop sending and drain; a second one (a second later or more: tsx and the
  // terminal may both deliver the first) quits without waiting.
  let firstSignalAt: number | undefined;
  const onSignal = () => {
    const now = performance.now();
    if (firstSignalAt === undefined) {
      firstSignalAt = now;
      console.log("\nstopping: no new deliveries; draining (press Ctrl-C again to quit now)");
      stopRequested = true;
    } else if (now - firstSignalAt > 1_000) {
      closing = true;
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let sendingEndedAt: number | undefined;

  /** Burst deliveries due by `t` seconds into the run for the current window. */
  const burstWanted = (t: number): number =>
    Math.floor(Math.min(Math.max(0, t - burstWindow * cfg.burstEveryS), cfg.burstLengthS) * burstExtraRate);
  const finishBurst = (t: number): void => {
    if (burstSpec) c.unsent += Math.max(0, burstWanted(t) - burstIssued);
    burstSpec = undefined;
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const elapsed = now - start;

      if (sendingEndedAt === undefined) {
        const t = Math.min(elapsed, durationMs) / 1000;
        // Base traffic: everything due by now (catches up after a late timer).
        const wantBase = Math.floor(t * cfg.rate);
        while (issuedBase < wantBase && inFlight < maxInFlight) {
          const d = sim.next(new Date());
          if (d.isDuplicate) c.duplicates++;
          else c.fresh++;
          issuedBase++;
          send(newJob(d));
        }
        // Bursts: window k covers [k*every, k*every + length) seconds, k >= 1.
        if (burstExtraRate > 0) {
          const k = Math.floor(t / cfg.burstEveryS);
          if (k >= 1 && k !== burstWindow && t - k * cfg.burstEveryS < cfg.burstLengthS && elapsed < durationMs) {
            finishBurst(t);
            burstWindow = k;
            burstIssued = 0;
            burstSpec = sim.createBurst();
            console.log(`[${t.toFixed(1).padStart(6)}s] burst #${k}: ${burstSpec.description} (+${burstExtraRate.toFixed(0)}/s for ${cfg.burstLengthS}s)`);
          }
          if (burstSpec) {
            const want = burstWanted(t);
            while (burstIssued < want && inFlight < maxInFlight) {
              c.burst++;
              burstIssued++;
              send(newJob(sim.next(new Date(), { burst: burstSpec })));
            }
            if (burstIssued >= want && t - burstWindow * cfg.burstEveryS >= cfg.burstLengthS) burstSpec = undefined;
          }
        }
        if (elapsed >= durationMs || stopRequested) {
          sendingEndedAt = now;
          c.unsent += Math.max(0, wantBase - issuedBase);
          finishBurst(t);
          if (inFlight > 0 || retryQueue.size > 0) {
            console.log(
              `[${(elapsed / 1000).toFixed(1).padStart(6)}s] sending done; draining ${inFlight} in flight, ${retryQueue.size} waiting to retry (at most ${cfg.drainS}s)`,
            );
          }
        }
      }

      // Retries that are due.
      for (let job = retryQueue.peek(); job && job.dueAt <= now && inFlight < maxInFlight; job = retryQueue.peek()) {
        retryQueue.pop();
        send(job);
      }

      if (sendingEndedAt !== undefined) {
        const done = inFlight === 0 && retryQueue.size === 0;
        if (done || closing || now >= sendingEndedAt + cfg.drainS * 1000) {
          resolve();
          return;
        }
      }

      // Sleep until the next delivery is due (at least 1 ms, at most 50 ms).
      let wait = 50;
      if (sendingEndedAt === undefined) {
        if (burstSpec || inFlight >= maxInFlight) wait = 1;
        else wait = Math.min(wait, ((issuedBase + 1) / cfg.rate) * 1000 - elapsed, durationMs - elapsed);
      }
      const nextRetry = retryQueue.peek();
      if (nextRetry) wait = Math.min(wait, nextRetry.dueAt - now);
      setTimeout(tick, Math.max(1, Math.min(50, wait)));
    };
    tick();
  });

  // Give up on what is left after the drain.
  closing = true;
  clearInterval(progressTimer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  c.gaveUp += retryQueue.clear().length;
  const leftInFlight = inFlight;
  await pool.destroy().catch(() => undefined);
  if (leftInFlight > 0) c.abandoned = Math.max(c.abandoned, leftInFlight);

  progress(true);
  const totalS = (performance.now() - start) / 1000;
  const sendS = ((sendingEndedAt ?? performance.now()) - start) / 1000;
  const sent = c.fresh + c.duplicates + c.burst;
  const [p50, p90, p99, pMax] = latencies.overall([0.5, 0.9, 0.99, 1]);
  const lines = [
    "",
    "summary",
    `  target          ${displayUrl(cfg.url)}`,
    `  time            ${sendS.toFixed(1)}s sending, ${totalS.toFixed(1)}s total`,
    `  deliveries      ${sent} (${c.fresh} new, ${c.duplicates} duplicates, ${c.burst} in bursts) = ${(sent / Math.max(sendS, 0.001)).toFixed(1)}/s; ` +
      `without bursts ${((c.fresh + c.duplicates) / Math.max(sendS, 0.001)).toFixed(1)}/s (target ${cfg.rate}/s)` +
      (c.unsent ? `; ${c.unsent} not sent (behind schedule: the server or this machine could not keep up)` : ""),
    `  requests        ${c.attempts} (${c.retries} retries)`,
    `  acknowledged    ${c.ok} 2xx`,
    `  rejected        ${c.s4xx} 4xx${c.s4xxDuplicates ? ` (${c.s4xxDuplicates} of them duplicates)` : ""}`,
    `  server errors   ${c.s5xx} 5xx${c.throttled ? `, ${c.throttled} 429` : ""}${c.s3xx ? `, ${c.s3xx} 3xx` : ""}`,
    `  network errors  ${c.netErrors}${netErrorCodes.size ? ` (${fmtMap(netErrorCodes)})` : ""}`,
    `  gave up         ${c.gaveUp} after retries/drain${c.abandoned ? `, ${c.abandoned} abandoned in flight` : ""}`,
    `  statuses        ${fmtMap(statusCounts) || "-"}`,
    `  latency         p50 ${fmtMs(p50 ?? NaN)}ms  p90 ${fmtMs(p90 ?? NaN)}ms  p99 ${fmtMs(p99 ?? NaN)}ms  max ${fmtMs(pMax ?? NaN)}ms`,
  ];
  console.log(lines.join("\n"));

  if (c.s4xx > 0) {
    console.error(`\nFAIL: ${c.s4xx} deliveries were answered 4xx — the app rejected valid payloads. Examples:`);
    for (const s of rejectSamples) console.error(`  ${s}`);
    return 1;
  }
  if (c.ok === 0) {
    console.error("\nFAIL: no delivery was acknowledged (is the app running at that URL?)");
    return 3;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error("simulate: crashed:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
