// npm run bench:queries [-- --events 10000000 --runs 20 --data-dir DIR --json queries.json] [--rebuild]
// Seeds a database with realistic events over 30 days by bulk SQL (not the HTTP path),
// rebuilds the counters and rollups ingest would have maintained, then times every
// dashboard API on the production server and prints p50/p95 of repeated runs. With a
// --data-dir that already holds events, it reuses them; --rebuild then recomputes every
// rollup and counter from those events first (after a migration adds a rollup, say). --json
// also writes every API's and page's figures to a file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { ERROR_LIKE_KINDS, PRESENCE_CHUNK_BITS } from "../lib/queries/range";
import { delivery } from "../lib/testing/deliveries";
import { freePort, startAppServer } from "../lib/testing/server";
import { urlId } from "../lib/queries/get-urls";
import { describeLoad, watchLoad, writeJson } from "./bench-json";
import { ensureBuild } from "./start";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "20" },
    "data-dir": { type: "string" },
    rebuild: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
const TOKEN = "bench-admin-token-0123456789abcdef";
const OWNER = { email: "bench@example.com", password: "bench password 123" };
const WEBSITES = ["8d53ea3", "2f9c4e1", "c71a0b6"];
const VISITORS = Math.max(1_000, Math.round(EVENTS / 200));
const ISSUES = 1_500;
const CHUNK = 500_000;

async function time<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`  ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * Websites, visitors with countries weighted like real traffic, issues of every kind, and
 * events skewed towards a few hot issues and busy visitors, with a daily rhythm.
 */
async function seed(client: pg.Client): Promise<void> {
  await client.query("SET synchronous_commit = off");
  await client.query(`INSERT INTO accounts (id) VALUES ('3ca3b1b') ON CONFLICT DO NOTHING`);
  await client.query(
    `INSERT INTO websites (id, account_id, name) SELECT id, '3ca3b1b', 'Site ' || id FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
    [WEBSITES],
  );
  await time(`${VISITORS} visitors`, () =>
    client.query(
      `INSERT INTO visitors (website_id, id, name, email, params, country_code, city, region, first_seen, last_seen)
       SELECT ($2::text[])[1 + g % 3], 'v' || g, 'Visitor ' || g, 'visitor' || g || '@example.com',
         jsonb_build_array(jsonb_build_object('name', 'plan', 'value', (ARRAY['free','pro','enterprise'])[1 + g % 3])),
         c.code, c.city, c.region, now(), now()
       FROM generate_series(1, $1::int) g
       -- Countries weighted like real traffic: a share of 100 per country.
       JOIN (VALUES ('US','New York','NY',0,30), ('DE','Berlin','Berlin',30,42), ('GB','London','England',42,52),
         ('PL','Wroclaw','Dolnoslaskie',52,60), ('FR','Paris','IDF',60,67), ('IN','Bengaluru','Karnataka',67,76),
         ('BR','Sao Paulo','SP',76,82), ('JP','Tokyo','Tokyo',82,87), ('CA','Toronto','ON',87,92),
         ('NL','Amsterdam','NH',92,96), ('ES','Madrid','Madrid',96,100)) AS c(code, city, region, lo, hi)
         ON (hashint4(g) & 1023) % 100 >= c.lo AND (hashint4(g) & 1023) % 100 < c.hi`,
      [VISITORS, WEBSITES],
    ),
  );
  await time(`${ISSUES} issues`, () =>
    client.query(
      `INSERT INTO issues (id, website_id, fingerprint, kind, title, first_seen, last_seen)
       SELECT g, ($2::text[])[1 + g % 3], 'bench-' || g, k.kind,
         CASE k.kind WHEN 'NetError' THEN 'GET https://api.shop.example/products' || (g % 40) || '/:id ' || (ARRAY[500,502,404,403,0])[1 + g % 5]
                     WHEN 'Custom' THEN 'Custom event ' || (g % 12) WHEN 'RageClick' THEN 'Rage clicks'
                     ELSE 'TypeError: Cannot read properties of undefined (reading <str>) #' || g END,
         now(), now()
       FROM generate_series(1, $1::int) g,
       LATERAL (SELECT (ARRAY['JSError','JSError','JSError','NetError','NetError','ErrorClick','RageClick','Custom','Custom'])[1 + g % 9] AS kind) k`,
      [ISSUES, WEBSITES],
    ),
  );
  for (let done = 0; done < EVENTS; done += CHUNK) {
    const n = Math.min(CHUNK, EVENTS - done);
    await time(`events ${done + n}/${EVENTS}`, () =>
      client.query(
        `INSERT INTO events (message_id, webhook_type, api_version, account_id, website_id, kind, occurred_at, created_at,
           visitor_id, issue_id, country_code, message, count, method, url, url_template, status, clicks, name, properties, property_errors, raw)
         SELECT 'bench-' || ($1::bigint + g), 'session.event', 'v1.0', '3ca3b1b', i.website_id, i.kind, t.at, t.at,
           v.id, i.id, v.country_code,
           CASE WHEN i.kind IN ('JSError', 'ErrorClick') THEN i.title END,
           CASE WHEN i.kind = 'JSError' THEN 1 END,
           CASE WHEN i.kind = 'NetError' THEN 'GET' END,
           CASE WHEN i.kind = 'NetError' THEN 'https://api.shop.example/products/' || g END,
           CASE WHEN i.kind = 'NetError' THEN split_part(i.title, ' ', 2) END,
           CASE WHEN i.kind = 'NetError' THEN split_part(i.title, ' ', 3)::int END,
           CASE WHEN i.kind = 'RageClick' THEN 3 + g % 20 END,
           CASE WHEN i.kind = 'Custom' THEN i.title END,
           CASE WHEN i.kind = 'Custom' THEN jsonb_build_object('price_float', (g % 1000) / 10.0, 'plan_str', 'pro') END,
           CASE WHEN i.kind = 'Custom' THEN '[]'::jsonb END,
           jsonb_build_object('message_id', 'bench-' || ($1::bigint + g), 'website_id', i.website_id, 'created_at', extract(epoch FROM t.at)::bigint,
             'payload', jsonb_build_object('event_name', i.kind, 'visitor', jsonb_build_object('id', v.id, 'name', v.name, 'email', v.email)))
         FROM generate_series(1, $2::int) g
         -- Skewed picks: a few issues and visitors account for most events.
         JOIN issues i ON i.id = 1 + floor(power((hashint8($1::bigint + g) & 65535) / 65536.0, 3) * $3::int)::int
         JOIN visitors v ON v.website_id = i.website_id
           AND v.id = 'v' || (3 * (1 + floor(power((hashint8(-($1::bigint + g)) & 65535) / 65536.0, 2) * ($4::int / 3 - 2))::int)
                              + array_position($5::text[], i.website_id) - 1)
         CROSS JOIN LATERAL (SELECT now() - make_interval(secs => ((hashint8(($1::bigint + g) * 7) & 2147483647) % (30 * 86400))) AS at) t`,
        [done, n, ISSUES, VISITORS, WEBSITES],
      ),
    );
  }
}

/**
 * The counters and rollups ingest maintains, recomputed from the events, written in time
 * order as ingest leaves them (a hash aggregate's order would scatter each range's rows).
 */
async function rebuildAggregates(client: pg.Client): Promise<void> {
  const statements = [
    `TRUNCATE rollup_kind_15m, rollup_country_1h, rollup_issue_1h, rollup_visitor_1d, rollup_visitor_bits_1h, rollup_visitor_kind_bits_1h, rollup_country_bits_1h, rollup_issue_1d, rollup_visitor_days, issue_visitors, issue_visitor_bits`,
    `INSERT INTO rollup_kind_15m SELECT website_id, date_bin('15 minutes', occurred_at, 'epoch'::timestamptz), kind, count(*) FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    `INSERT INTO rollup_country_1h SELECT website_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz), kind, coalesce(country_code, ''), count(*) FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    `INSERT INTO rollup_issue_1h SELECT issue_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz), website_id, count(*) FROM events GROUP BY 1, 2, 3 ORDER BY 2, 1`,
    `INSERT INTO rollup_visitor_kind_bits_1h SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), e.kind, v.num / ${PRESENCE_CHUNK_BITS},
       bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS}) >> (v.num % ${PRESENCE_CHUNK_BITS}))
     FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
     WHERE e.kind IN (${ERROR_LIKE_KINDS.map((k) => `'${k}'`).join(", ")}) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    `INSERT INTO rollup_country_bits_1h SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), coalesce(e.country_code, ''), v.num / ${PRESENCE_CHUNK_BITS},
       bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS}) >> (v.num % ${PRESENCE_CHUNK_BITS}))
     FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
     WHERE e.kind IN (${ERROR_LIKE_KINDS.map((k) => `'${k}'`).join(", ")}) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    `INSERT INTO rollup_issue_1d SELECT issue_id, date_bin('1 day', bucket, 'epoch'::timestamptz), website_id, sum(events) FROM rollup_issue_1h GROUP BY 1, 2, 3 ORDER BY 2, 1`,
    `INSERT INTO rollup_visitor_1d SELECT website_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz), visitor_id, kind, count(*) FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    `INSERT INTO rollup_visitor_bits_1h SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), v.num / ${PRESENCE_CHUNK_BITS},
       bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS}) >> (v.num % ${PRESENCE_CHUNK_BITS}))
     FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
     WHERE e.kind IN (${ERROR_LIKE_KINDS.map((k) => `'${k}'`).join(", ")}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    `INSERT INTO rollup_visitor_days SELECT r.website_id, s.days, date_bin(make_interval(days => s.days), r.bucket, 'epoch'::timestamptz), v.num,
       coalesce(sum(r.events) FILTER (WHERE r.kind = 'JSError'), 0), coalesce(sum(r.events) FILTER (WHERE r.kind = 'NetError'), 0),
       coalesce(sum(r.events) FILTER (WHERE r.kind = 'ErrorClick'), 0), coalesce(sum(r.events) FILTER (WHERE r.kind = 'RageClick'), 0),
       coalesce(sum(r.events) FILTER (WHERE r.kind = 'Custom'), 0)
     FROM rollup_visitor_1d r JOIN visitors v ON v.website_id = r.website_id AND v.id = r.visitor_id
     CROSS JOIN (VALUES (1), (7)) AS s(days)
     WHERE r.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom') GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    `INSERT INTO issue_visitors SELECT DISTINCT issue_id, visitor_id FROM events`,
    `INSERT INTO issue_visitor_bits SELECT iv.issue_id, v.num / ${PRESENCE_CHUNK_BITS}, bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS}) >> (v.num % ${PRESENCE_CHUNK_BITS}))
     FROM issue_visitors iv JOIN issues i ON i.id = iv.issue_id JOIN visitors v ON v.website_id = i.website_id AND v.id = iv.visitor_id
     GROUP BY 1, 2 ORDER BY 1, 2`,
    `UPDATE issues i SET event_count = s.n, visitor_count = s.v, first_seen = s.f, last_seen = s.l
     FROM (SELECT issue_id, count(*) n, count(DISTINCT visitor_id) v, min(occurred_at) f, max(occurred_at) l FROM events GROUP BY 1) s WHERE i.id = s.issue_id`,
    `UPDATE visitors v SET event_count = s.n, first_seen = s.f, last_seen = s.l
     FROM (SELECT website_id, visitor_id, count(*) n, min(occurred_at) f, max(occurred_at) l FROM events GROUP BY 1, 2) s
     WHERE v.website_id = s.website_id AND v.id = s.visitor_id`,
    `ANALYZE`,
  ];
  for (const sql of statements) await time(sql.split("\n")[0]!.slice(0, 60), () => client.query(sql));
}

/** A custom event with typed properties, sent through the webhook (bulk-seeded issues have no real fingerprints). */
const CUSTOM_NAME = "Bench checkout";
const CUSTOM_EVENTS = 12_000;

async function ensureCustomEvents(baseUrl: string, websiteId: string, headers: Record<string, string>): Promise<void> {
  const list = await fetch(`${baseUrl}/api/custom-events?websiteId=${websiteId}&q=${encodeURIComponent(CUSTOM_NAME)}&from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`, { headers });
  const { events } = (await list.json()) as { events: { name: string; totalEvents: number }[] };
  if (events.some((e) => e.name === CUSTOM_NAME)) return;
  await time(`${CUSTOM_EVENTS} "${CUSTOM_NAME}" webhooks`, async () => {
    const now = Math.floor(Date.now() / 1000);
    let next = 0;
    const send = async () => {
      for (let i = next++; i < CUSTOM_EVENTS; i = next++) {
        const at = now - Math.floor((i / CUSTOM_EVENTS) * 30 * 86_400);
        const { body } = delivery("custom", (d) => {
          d.website_id = websiteId;
          d.created_at = at;
          d.payload.time = at * 1000;
          d.payload.name = CUSTOM_NAME;
          d.payload.visitor.id = `v${3 * (1 + (i % 500))}`;
          d.payload.properties = { plan_str: ["free", "pro", "team"][i % 3], total_float: (i % 997) / 3, items_int: i % 9, coupon_bool: i % 4 === 0 };
        });
        const response = await fetch(`${baseUrl}/api/webhooks/livesession`, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, send));
  });
}

type Timing = { p50: number; p95: number; status: number };
type Group = "api" | "filter" | "page";
const results: ({ group: Group; target: string; budgetMs: number; runs: number } & Timing)[] = [];

/** A target with its from/to shown as the length of the range: "range=7d", "range=1h". */
function withRange(target: string): string {
  return target.replace(/from=([^&]+)(?:&to=([^&]+))?/, (_, from: string, to: string | undefined) => {
    const hours = Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 3_600_000);
    return `range=${hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`}`;
  });
}

function report(group: Group, target: string, runs: number, { p50, p95, status }: Timing, budgetMs: number): void {
  const shown = withRange(target);
  results.push({ group, target: shown, budgetMs, runs, p50, p95, status });
  const flag = status !== 200 ? `  status ${status}` : p95 > budgetMs ? `  over ${budgetMs} ms` : "";
  console.log(`${shown.padEnd(90)} ${p50.toFixed(1).padStart(6)}ms ${p95.toFixed(1).padStart(6)}ms${flag}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(baseUrl: string, target: string, headers: Record<string, string>, runs = RUNS): Promise<Timing> {
  const times: number[] = [];
  let status = 0;
  for (let run = 0; run < runs + 2; run++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${target}`, { headers });
    await response.arrayBuffer();
    status = response.status;
    if (run >= 2) times.push(performance.now() - started); // the first two warm caches
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), status };
}

const keep = Boolean(args["data-dir"]);
const dataDir = args["data-dir"] ?? mkdtempSync(path.join(tmpdir(), "lsm-bench-queries-"));
const database = await startEmbeddedDatabase(dataDir, await freePort());
try {
  await applyMigrations(database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query("SELECT count(*)::int AS n FROM events");
  const events: number = rows[0].n || EVENTS;
  if (rows[0].n === 0) {
    console.log(`Seeding ${EVENTS} events over 30 days…`);
    await seed(client);
    await rebuildAggregates(client);
  } else {
    console.log(`Reusing ${rows[0].n} events in ${dataDir}`);
    if (args.rebuild) await rebuildAggregates(client);
  }
  await client.end();

  ensureBuild();
  const server = await startAppServer({
    DATABASE_URL: database.url,
    ADMIN_API_TOKEN: TOKEN,
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
  });
  try {
    const site = WEBSITES[0]!;
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const range = (days: number) => `from=${ago(days)}&to=${now.toISOString()}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    await ensureCustomEvents(server.url, site, auth);
    const load = watchLoad();
    const template = urlId("https://api.shop.example/products3/:id");
    const targets = [
      `/api/stats/timeseries?websiteId=${site}&from=${ago(1 / 24)}`,
      `/api/stats/timeseries?websiteId=${site}&${range(1)}&tz=Europe/Warsaw`,
      `/api/stats/timeseries?websiteId=${site}&${range(7)}`,
      `/api/stats/timeseries?websiteId=${site}&${range(30)}`,
      `/api/stats/totals?websiteId=${site}&${range(1)}`,
      `/api/stats/totals?websiteId=${site}&${range(30)}`,
      `/api/stats/breakdown?websiteId=${site}&by=country&${range(30)}&series=1`,
      `/api/stats/breakdown?websiteId=${site}&by=url&${range(30)}`,
      `/api/stats/breakdown?websiteId=${site}&by=issue&${range(30)}&series=1`,
      `/api/stats/breakdown?websiteId=${site}&by=visitor&${range(7)}`,
      `/api/stats/breakdown?websiteId=${site}&by=visitor&${range(30)}`,
      `/api/issues?websiteId=${site}&${range(1)}`,
      `/api/issues?websiteId=${site}&${range(30)}`,
      `/api/issues?websiteId=${site}&${range(30)}&q=TypeError&sort=lastSeen`,
      `/api/visitors?websiteId=${site}&${range(1)}`,
      `/api/visitors?websiteId=${site}&${range(30)}`,
      `/api/events?websiteId=${site}&limit=100`,
      `/api/events?websiteId=${site}&kind=NetError&limit=100`,
      `/api/websites`,
      `/api/urls?websiteId=${site}&${range(1)}`,
      `/api/urls?websiteId=${site}&${range(30)}`,
      `/api/urls/${template}?websiteId=${site}&${range(30)}`,
      `/api/custom-events?websiteId=${site}&${range(30)}`,
      `/api/custom-events/properties?websiteId=${site}&${range(30)}&name=${encodeURIComponent(CUSTOM_NAME)}`,
      `/api/custom-events/properties?websiteId=${site}&${range(30)}&name=${encodeURIComponent(CUSTOM_NAME)}&property=total_float`,
      `/api/issues/3?websiteId=${site}`,
      `/api/issues/3/trend?websiteId=${site}&${range(30)}`,
      `/api/issues/3/urls?websiteId=${site}&${range(30)}`,
      `/api/issues/3/correlations?websiteId=${site}&${range(30)}`,
      `/api/issues/3/events?websiteId=${site}&${range(30)}`,
      `/api/visitors/v3?websiteId=${site}&${range(30)}`,
      `/api/visitors/v3/events?websiteId=${site}`,
      `/api/visitors/v3/issues?websiteId=${site}&${range(30)}`,
    ];
    console.log(`\n${"API".padEnd(90)} ${"p50".padStart(8)} ${"p95".padStart(8)}  (${RUNS} runs)`);
    for (const target of targets) {
      report("api", target, RUNS, await measure(server.url, target, auth), 150);
    }
    // Filters: where a rollup holds them, and raw fallbacks (fewer runs: some scan a range's events).
    const filterRuns = Math.max(3, Math.round(RUNS / 4));
    const filterTargets = [
      `/api/stats/timeseries?websiteId=${site}&${range(7)}&country=PL`,
      `/api/stats/totals?websiteId=${site}&${range(30)}&country=PL`,
      `/api/stats/totals?websiteId=${site}&${range(1)}&kind=JSError`,
      `/api/stats/breakdown?websiteId=${site}&by=issue&${range(30)}&kind=NetError`,
      `/api/stats/breakdown?websiteId=${site}&by=country&${range(7)}&url=${encodeURIComponent("https://api.shop.example/products3/:id")}`,
      `/api/issues?websiteId=${site}&${range(1)}&prop=plan_str:pro`,
      `/api/visitors?websiteId=${site}&${range(7)}&kind=RageClick`,
      `/api/events?websiteId=${site}&country=PL&kind=JSError,NetError&limit=100`,
    ];
    console.log(`\n${"Filters".padEnd(90)} ${"p50".padStart(8)} ${"p95".padStart(8)}  (${filterRuns} runs)`);
    for (const target of filterTargets) {
      report("filter", target, filterRuns, await measure(server.url, target, auth, filterRuns), 150);
    }
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify(OWNER),
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";", 1)[0]!;
    for (const range of ["24h", "7d", "30d"]) {
      const page = `/?website=${site}&range=${range}&tz=UTC`;
      report("page", `${page} (overview page)`, RUNS, await measure(server.url, page, { cookie }), 500);
    }
    for (const page of [
      `/issues?website=${site}&range=30d&tz=UTC`,
      `/issues/3?website=${site}&range=30d&tz=UTC`,
      `/visitors?website=${site}&range=30d&tz=UTC`,
      `/visitors/v3?website=${site}&range=30d&tz=UTC`,
      `/urls?website=${site}&range=30d&tz=UTC`,
      `/urls/${template}?website=${site}&range=30d&tz=UTC`,
      `/custom-events?website=${site}&range=30d&tz=UTC`,
    ]) {
      report("page", `${page} (page)`, filterRuns, await measure(server.url, page, { cookie }, filterRuns), 500);
    }
    const machine = load();
    console.log(`\nmachine  ${describeLoad(machine)}`);
    writeJson(args.json, { events, runs: RUNS, results, machine });
  } finally {
    await server.stop();
  }
} finally {
  await database.stop();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
