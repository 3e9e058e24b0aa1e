// npm run bench:charts -- --in DIR --out docs/benchmarks
// Draws the charts of BENCHMARKS.md from the --json files of the bench scripts in DIR:
// ingest.json (bench:ingest), queries.json (bench:queries), live-1.json and live-2.json
// (bench:live with --instances 1 and 2) and soak.json (bench:soak). A chart whose file is
// missing is skipped. The charts are recharts components (scripts/bench-charts-page.tsx),
// bundled with Vite, rendered in headless Chromium and saved as PNG.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { build } from "vite";
import { chromiumPath } from "../lib/testing/chromium";
import type { ChartSpec } from "./bench-charts-page";
import type { MachineLoad as Machine } from "./bench-json";

const { values: args } = parseArgs({
  options: {
    in: { type: "string" },
    out: { type: "string", default: "docs/benchmarks" },
  },
});
if (!args.in) {
  console.error("bench:charts: --in DIR (the folder of the bench scripts' --json files) is required");
  process.exit(2);
}
const IN = args.in;
const OUT = args.out;

const BLUE = "#2563eb";
const GREY = "#9aa5b1";
const ORANGE = "#d97706";
const RED = "#c81e1e";

type Ingest = {
  durationSeconds: number;
  connections: number;
  ingest: { perSecond: number; p50: number; p99: number };
  health: { perSecond: number; p50: number; p99: number };
  machine: Machine;
};
type Queries = { events: number; results: { group: "api" | "filter" | "page"; target: string; budgetMs: number; runs: number; p95: number }[] };
type Live = {
  rate: number;
  durationSeconds: number;
  instances: number;
  sentPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  machine: Machine;
};
type Soak = {
  machine?: Machine;
  rate: number;
  durationSeconds: number;
  serverRss: { samples: { seconds: number; rssMb: number; acknowledged: number }[]; firstMb: number; lastMb: number; maxMb: number; slopeMbPerMinute: number };
};

function read<T>(name: string): T | undefined {
  const file = path.join(IN, name);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as T;
  console.log(`skipped  ${name}: not in ${IN}`);
  return undefined;
}

const load = (machine: Machine | undefined) =>
  machine ? `; load average ${machine.loadAverageStart[0]!.toFixed(1)} → ${machine.loadAverageEnd[0]!.toFixed(1)} on ${machine.cores} cores` : "";

/** A dashboard API or page as a short row label: its path and the parameters that tell rows apart. */
function label(target: string): string {
  const [pathname, query = ""] = target.replace(/ \((overview )?page\)$/, "").split("?");
  const params = query
    .split("&")
    .filter((p) => p && !/^(websiteId|website|tz)=/.test(p))
    .map((p) => decodeURIComponent(p).replace(/^range=/, "").replace("https://api.shop.example", ""));
  const shortPath = pathname!.replace(/\/urls\/[\w-]{16,}/, "/urls/:template").replace(/^\/api\//, "");
  const text = [shortPath === "/" ? "/ (overview)" : shortPath, ...params].join(" ");
  return text.length > 64 ? `${text.slice(0, 63)}…` : text;
}

function queryCharts(queries: Queries): { file: string; spec: ChartSpec }[] {
  const chart = (file: string, title: string, groups: string[], budgetMs: number, targetLabel: string) => {
    const rows = queries.results.filter((r) => groups.includes(r.group));
    const runs = [...new Set(rows.map((r) => r.runs))].sort((a, b) => b - a).join(" or ");
    const events = queries.events >= 1e6 ? `${(queries.events / 1e6).toLocaleString("en-US")} million` : queries.events.toLocaleString("en-US");
    return {
      file,
      spec: {
        kind: "bars" as const,
        direction: "horizontal" as const,
        title,
        subtitle: `p95 of ${runs} runs each, on ${events} events over 30 days; red: over the target`,
        width: 1100,
        height: 170 + rows.length * 22,
        points: rows.map((r) => ({ label: label(r.target), values: [r.p95] })),
        series: [{ name: "p95", color: BLUE }],
        overTargetColor: RED,
        valueAxis: "p95 response time (ms)",
        categoryAxisWidth: Math.max(...rows.map((r) => label(r.target).length)) * 7.6 + 16,
        target: { value: budgetMs, label: targetLabel },
      },
    };
  };
  return [
    chart("queries-api.png", "Dashboard API response time (p95)", ["api", "filter"], 150, "target 150 ms"),
    chart("queries-pages.png", "Dashboard page response time (p95, server-rendered HTML)", ["page"], 500, "target 500 ms"),
  ];
}

function liveChart(runs: Live[]): { file: string; spec: ChartSpec } {
  const keys = ["p50", "p95", "p99", "max"] as const;
  const first = runs[0]!;
  return {
    file: "live.png",
    spec: {
      kind: "bars",
      direction: "vertical",
      title: "Live updates: webhook acknowledged → shown on the open overview",
      subtitle: `${first.rate.toLocaleString("en-US")} webhooks/s offered for ${first.durationSeconds} s; with 2 instances the webhooks go to one and the browser watches the other${load(first.machine)}`,
      width: 900,
      height: 520,
      points: keys.map((k) => ({ label: k, values: runs.map((r) => r.latencyMs[k]) })),
      series: runs.map((r) => ({
        name: `${r.instances === 2 ? "2 instances (LIVE_ADAPTER=postgres)" : "1 instance"}: ${Math.round(r.sentPerSecond)} acknowledged/s`,
        color: r.instances === 2 ? ORANGE : BLUE,
      })),
      valueAxis: "latency (ms)",
      target: { value: 250, label: "target 250 ms" },
    },
  };
}

function ingestChart(ingest: Ingest): { file: string; spec: ChartSpec } {
  return {
    file: "ingest.png",
    spec: {
      kind: "bars",
      direction: "vertical",
      title: "Ingest throughput vs the health-check baseline",
      subtitle: `${ingest.connections} keep-alive connections, ${ingest.durationSeconds} s per route${load(ingest.machine)}`,
      width: 800,
      height: 500,
      points: [
        { label: "POST /api/webhooks/livesession", values: [ingest.ingest.perSecond] },
        { label: "GET /api/health (baseline)", values: [ingest.health.perSecond] },
      ],
      series: [{ name: "requests/s", color: BLUE }],
      valueAxis: "acknowledged requests per second",
      target: { value: 1000, label: "target 1,000/s" },
    },
  };
}

function soakCharts(soak: Soak): { file: string; spec: ChartSpec }[] {
  const samples = soak.serverRss.samples;
  const subtitle = `${soak.rate} deliveries/s for ${soak.durationSeconds} s with the overview open in Chromium; sampled every ${samples[1] ? samples[1].seconds - samples[0]!.seconds : 0} s${load(soak.machine)}`;
  return [
    {
      file: "soak-memory.png",
      spec: {
        kind: "line",
        title: "Soak: server memory (RSS) over time",
        subtitle: `${subtitle}. First ${soak.serverRss.firstMb.toFixed(0)} MB, last ${soak.serverRss.lastMb.toFixed(0)} MB, max ${soak.serverRss.maxMb.toFixed(0)} MB`,
        width: 1000,
        height: 460,
        points: samples.map((s) => ({ x: s.seconds, values: [s.rssMb] })),
        series: [{ name: "server RSS", color: BLUE }],
        xAxis: "time since the start (s)",
        yAxis: "server RSS (MB)",
      },
    },
    {
      file: "soak-acknowledged.png",
      spec: {
        kind: "line",
        title: "Soak: deliveries acknowledged over time",
        subtitle,
        width: 1000,
        height: 460,
        points: samples.map((s) => ({ x: s.seconds, values: [s.acknowledged, Math.min(s.seconds, soak.durationSeconds) * soak.rate] })),
        series: [
          { name: "acknowledged (distinct message_ids)", color: BLUE },
          { name: `sent at ${soak.rate}/s (2% are byte-identical retries)`, color: GREY, dashed: true },
        ],
        xAxis: "time since the start (s)",
        yAxis: "deliveries (cumulative)",
      },
    },
  ];
}

async function bundlePage(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: "warn",
    build: {
      write: false,
      minify: true,
      rolldownOptions: { input: path.join(import.meta.dirname, "bench-charts-page.tsx"), output: { format: "iife" } },
    },
  });
  for (const output of Array.isArray(result) ? result : [result]) {
    const chunk = "output" in output ? output.output.find((o) => o.type === "chunk") : undefined;
    if (chunk?.type === "chunk") return chunk.code;
  }
  throw new Error("Vite built no script for the charts page");
}

const ingest = read<Ingest>("ingest.json");
const queries = read<Queries>("queries.json");
const live = [read<Live>("live-1.json"), read<Live>("live-2.json")].filter((r) => r !== undefined);
const soak = read<Soak>("soak.json");
const charts = [
  ...(ingest ? [ingestChart(ingest)] : []),
  ...(queries ? queryCharts(queries) : []),
  ...(live.length ? [liveChart(live)] : []),
  ...(soak ? soakCharts(soak) : []),
];
if (charts.length === 0) {
  console.error(`bench:charts: no bench results in ${IN}`);
  process.exit(1);
}

mkdirSync(OUT, { recursive: true });
const script = await bundlePage();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  for (const { file, spec } of charts) {
    // Sharper for small charts, while a tall one stays a small file.
    const deviceScaleFactor = Math.min(1.5, Math.sqrt(1.1e6 / (spec.width * spec.height)));
    const page = await browser.newPage({ viewport: { width: spec.width + 100, height: spec.height + 100 }, deviceScaleFactor });
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff"><div id="root"></div><script>${script.replace(/<\/script/gi, "<\\/script")}</script></body></html>`);
    await page.evaluate((spec) => (window as unknown as { renderChart: (spec: unknown) => void }).renderChart(spec), spec);
    // The series draw once recharts has measured the chart, a render after the first.
    await page.locator(".recharts-bar-rectangle, .recharts-line-curve").first().waitFor();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    if (errors.length) throw errors[0];
    const target = path.join(OUT, file);
    await page.locator("figure").screenshot({ path: target });
    await page.close();
    console.log(`wrote    ${target}`);
  }
} finally {
  await browser.close();
}
