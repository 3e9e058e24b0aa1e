import { z } from "zod";
import { dateRange, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { bucketStarts, chooseBucket, fillBuckets, type BucketMinutes, type CountRow } from "./buckets";
import { eventConditions, holds, type FilterName } from "./filters";
import { rangeOf } from "./get-timeseries";
import { issueEventsSql } from "./issue-rollup";
import { isVisitorKind, kindSum, VISITOR_KIND_COLUMNS, visitorDaysSql, type VisitorKind } from "./visitor-rollup";
import { DAILY_ROLLUP_MINUTES, ERROR_LIKE_KINDS, HOURLY_ROLLUP_MINUTES, planRange, rangeLimit, type Plan } from "./range";

export const BREAKDOWNS = ["country", "url", "visitor", "issue"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** The kinds counted when `kind` is not given: errors and rage clicks (not Custom events). */
export const DEFAULT_BREAKDOWN_KINDS: readonly string[] = ERROR_LIKE_KINDS;

/** The series name of everything outside the top N in `points`. */
export const OTHER = "other";

export const breakdownQuery = z
  .intersection(
    statsFilters.extend({
      by: z.enum(BREAKDOWNS),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      series: z.enum(["0", "1"]).default("0"),
    }),
    dateRange,
  )
  .refine(...rangeLimit);
export type BreakdownQuery = z.infer<typeof breakdownQuery>;

/** Each breakdown's rollup, its bucket size, and the filters that rollup holds. */
const ROLLUPS: Record<Breakdown, { minutes: number; filters: readonly FilterName[] }> = {
  country: { minutes: HOURLY_ROLLUP_MINUTES, filters: ["kind", "country"] },
  issue: { minutes: HOURLY_ROLLUP_MINUTES, filters: ["kind", "issueId"] },
  url: { minutes: HOURLY_ROLLUP_MINUTES, filters: ["kind", "issueId"] },
  visitor: { minutes: DAILY_ROLLUP_MINUTES, filters: ["kind", "visitorId"] },
};

/**
 * Where a breakdown reads from: its rollup (widened to whole hours or UTC days) unless the
 * range is 6 hours or shorter, or a filter is set that the rollup does not hold (a country
 * for issues, a visitor for countries, a url or prop for any): then raw events with the exact
 * bounds. Raw events stay cheap with a visitor or issue filter (their indexes); a
 * country, url or prop filter on a long issue, url or visitor breakdown scans the range's events.
 */
export function breakdownPlan(q: BreakdownQuery): Plan {
  const rollup = ROLLUPS[q.by];
  return planRange(rangeOf(q), rollup.minutes, !holds(q, rollup.filters));
}

/** Rows (key, kind, at, events) matching the query, from the plan's table. */
function source(q: BreakdownQuery, plan: Plan, kinds: string[]): Prisma.Sql {
  const country = q.country ?? null;
  const issueId = q.issueId ?? null;
  const visitorId = q.visitorId ?? null;
  const netOnly = q.by === "url";
  if (plan.granularity === null) {
    const key = {
      country: Prisma.sql`coalesce(country_code, '')`,
      issue: Prisma.sql`issue_id::text`,
      url: Prisma.sql`issue_id::text`,
      visitor: Prisma.sql`visitor_id`,
    }[q.by];
    return Prisma.sql`
      SELECT ${key} AS key, kind, occurred_at AS at, 1 AS events FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
        ${eventConditions(q, { kinds: netOnly ? kinds.filter((k) => k === "NetError") : kinds })}`;
  }
  switch (q.by) {
    case "country":
      return Prisma.sql`
        SELECT country_code AS key, kind, bucket AS at, events FROM rollup_country_1h
        WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}
          AND kind = ANY(${kinds}::text[]) AND (${country}::text IS NULL OR country_code = ${country})`;
    case "issue":
    case "url":
      return Prisma.sql`
        SELECT r.issue_id::text AS key, i.kind, r.bucket AS at, r.events FROM rollup_issue_1h r
        JOIN issues i ON i.id = r.issue_id
        WHERE r.website_id = ${q.websiteId} AND r.bucket >= ${plan.from} AND r.bucket < ${plan.to}
          AND i.kind = ANY(${kinds}::text[]) AND (${netOnly}::boolean IS FALSE OR i.kind = 'NetError')
          AND (${issueId}::bigint IS NULL OR r.issue_id = ${issueId}::bigint)`;
    case "visitor":
      return Prisma.sql`
        SELECT visitor_id AS key, kind, bucket AS at, events FROM rollup_visitor_1d
        WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}
          AND kind = ANY(${kinds}::text[]) AND (${visitorId}::text IS NULL OR visitor_id = ${visitorId})`;
  }
}

async function labels(q: BreakdownQuery, keys: string[]): Promise<Map<string, string>> {
  if (q.by === "country") return new Map(keys.map((key) => [key, key === "" ? "Unknown" : key]));
  const rows =
    q.by === "visitor"
      ? await db().$queryRaw<{ key: string; label: string }[]>`
          SELECT id AS key, coalesce(nullif(name, ''), nullif(email, ''), id) AS label FROM visitors
          WHERE website_id = ${q.websiteId} AND id = ANY(${keys}::text[])`
      : await db().$queryRaw<{ key: string; label: string }[]>`
          SELECT id::text AS key, title AS label FROM issues
          WHERE website_id = ${q.websiteId} AND id = ANY(${keys}::bigint[])`;
  return new Map(rows.map((r) => [r.key, r.label]));
}

/**
 * Per bucket, the top issues' events (from their rows of rollup_issue_1h, through its primary
 * key) and the rest (key null): every event of the counted kinds (rollup_kind_15m, taken
 * per hour first so it falls in the same bucket as the hourly rows) less the top issues'.
 * Exact, since every event of an issue has the issue's kind.
 */
async function issueSeries(q: BreakdownQuery, plan: Plan, size: number, start: Date, keys: string[], kinds: string[]) {
  const bin = (column: Prisma.Sql) => Prisma.sql`date_bin(make_interval(mins => ${size}::int), ${column}, ${start}::timestamptz)`;
  const rows = await db().$queryRaw<{ key: string | null; bucket: Date; events: number }[]>`
    SELECT r.issue_id::text AS key, ${bin(Prisma.sql`r.bucket`)} AS bucket, sum(r.events)::int AS events
    FROM rollup_issue_1h r
    WHERE r.issue_id = ANY(${keys}::bigint[]) AND r.website_id = ${q.websiteId} AND r.bucket >= ${plan.from} AND r.bucket < ${plan.to}
    GROUP BY 1, 2
    UNION ALL
    SELECT NULL, ${bin(Prisma.sql`date_bin('1 hour', bucket, 'epoch'::timestamptz)`)}, sum(events)::int
    FROM rollup_kind_15m
    WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to} AND kind = ANY(${kinds}::text[])
    GROUP BY 2`;
  if (q.issueId !== undefined) return rows.filter((r) => r.key !== null); // one issue: nothing else
  const rest = new Map<number, { key: null; bucket: Date; events: number }>();
  for (const r of rows) if (r.key === null) rest.set(r.bucket.getTime(), { key: null, bucket: r.bucket, events: r.events });
  for (const r of rows) {
    if (r.key === null) continue;
    const other = rest.get(r.bucket.getTime()) ?? rest.set(r.bucket.getTime(), { key: null, bucket: r.bucket, events: 0 }).get(r.bucket.getTime())!;
    other.events -= r.events;
  }
  return [...rows.filter((r) => r.key !== null), ...rest.values()];
}

/**
 * The top visitors and the rest (key null) per kind, from rollup_visitor_days (one row per
 * visitor and span, a column per kind) rather than rollup_visitor_1d (one per day and kind):
 * the same counts over the same whole days, in the shape of the generic query's rows.
 */
async function topVisitors(q: BreakdownQuery, plan: Plan, kinds: string[]) {
  const visitor = q.visitorId === undefined ? Prisma.empty : Prisma.sql`AND v.id = ${q.visitorId}`;
  const found = await db().$queryRaw<({ key: string | null } & Record<string, number>)[]>`
    WITH ranked AS (
      SELECT v.id AS key, d.*, ${kindSum(kinds, "d.")} AS events
      FROM (${visitorDaysSql(q.websiteId, plan)}) d
      JOIN visitors v ON v.website_id = ${q.websiteId} AND v.num = d.visitor_num
      WHERE ${kindSum(kinds, "d.")} > 0 ${visitor}
    ), top AS (
      SELECT * FROM ranked ORDER BY events DESC, key COLLATE "C" LIMIT ${q.limit}
    )
    SELECT key, js_errors, net_errors, error_clicks, rage_clicks, custom_events FROM top
    UNION ALL
    SELECT NULL, sum(js_errors)::int, sum(net_errors)::int, sum(error_clicks)::int, sum(rage_clicks)::int, sum(custom_events)::int FROM ranked`;
  const rows: { key: string | null; kind: string; events: number }[] = [];
  const rest = Object.fromEntries(kinds.map((kind) => [kind, 0]));
  for (const row of found) {
    for (const kind of kinds as VisitorKind[]) {
      const events = row[VISITOR_KIND_COLUMNS[kind]] ?? 0;
      if (row.key === null) rest[kind]! += events;
      else {
        rest[kind]! -= events;
        rows.push({ key: row.key, kind, events });
      }
    }
  }
  for (const kind of kinds) if (rest[kind]) rows.push({ key: null, kind, events: rest[kind]! });
  return rows;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The top `limit` countries, URLs (NetError issues), visitors or issues by events in the
 * range, with the rest summed as `other`; with `series=1`, their counts per time bucket too.
 */
export async function getBreakdown(q: BreakdownQuery) {
  const kinds = q.kind ?? [...DEFAULT_BREAKDOWN_KINDS];
  const plan = breakdownPlan(q);
  const src = source(q, plan, kinds);
  // Issues and URLs over whole hours: the daily issue rollup for the whole days inside.
  const byIssueRollup = (q.by === "issue" || q.by === "url") && plan.granularity !== null;
  const countedKinds = q.by === "url" ? kinds.filter((kind) => kind === "NetError") : kinds;
  const totalsSrc = byIssueRollup
    ? Prisma.sql`
        SELECT r.issue_id::text AS key, i.kind, r.events FROM (${issueEventsSql(q.websiteId, plan, q.issueId ?? null)}) r
        JOIN issues i ON i.id = r.issue_id WHERE i.kind = ANY(${countedKinds}::text[])`
    : src;
  const rows = q.by === "visitor" && plan.granularity !== null && kinds.every(isVisitorKind) ? await topVisitors(q, plan, kinds) : await db().$queryRaw<{ key: string | null; kind: string; events: number }[]>`
    WITH agg AS (SELECT key, kind, sum(events)::int AS events FROM (${totalsSrc}) src GROUP BY key, kind),
    top AS (
      SELECT key FROM agg GROUP BY key ORDER BY sum(events) DESC, key COLLATE "C" LIMIT ${q.limit}
    )
    SELECT top.key, agg.kind, sum(agg.events)::int AS events
    FROM agg LEFT JOIN top ON top.key = agg.key
    GROUP BY top.key, agg.kind`;

  const zeros = () => Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<string, number>;
  const top = new Map<string, { events: number; byKind: Record<string, number> }>();
  const other = { events: 0, byKind: zeros() };
  let total = 0;
  for (const row of rows) {
    total += row.events;
    const entry = row.key === null ? other : top.get(row.key) ?? top.set(row.key, { events: 0, byKind: zeros() }).get(row.key)!;
    entry.events += row.events;
    entry.byKind[row.kind] = (entry.byKind[row.kind] ?? 0) + row.events;
  }
  const ranked = [...top].sort(([a, x], [b, y]) => y.events - x.events || byCodeUnits(a, b));
  const names = await labels(q, ranked.map(([key]) => key));
  const result = {
    by: q.by,
    from: plan.from.toISOString(),
    to: plan.to.toISOString(),
    kinds,
    total,
    rows: ranked.map(([key, entry]) => ({ key, label: names.get(key) ?? key, events: entry.events, byKind: entry.byKind })),
    other,
  };
  if (q.series !== "1") return result;

  // Buckets as /api/stats/timeseries chooses them, but never smaller than the rollup read:
  // hourly rollups give buckets of at least an hour, the daily visitor rollup whole UTC days
  // (whatever `tz`, since its days are UTC days).
  const size = Math.max(chooseBucket(plan.from, plan.to), plan.granularity ?? 0) as BucketMinutes;
  const timeZone = plan.granularity === DAILY_ROLLUP_MINUTES ? "UTC" : q.tz;
  const starts = bucketStarts(plan.from, plan.to, size, timeZone);
  const keys = ranked.map(([key]) => key);
  const counts = byIssueRollup ? await issueSeries(q, plan, size, starts[0]!, keys, countedKinds) : await db().$queryRaw<{ key: string | null; bucket: Date; events: number }[]>`
    SELECT CASE WHEN key = ANY(${keys}::text[]) THEN key END AS key,
      date_bin(make_interval(mins => ${size}::int), at, ${starts[0]!}::timestamptz) AS bucket,
      sum(events)::int AS events
    FROM (${src}) src GROUP BY 1, 2`;
  // Series are named "k:<key>" and "o" while filling, so a key spelled "other" cannot merge
  // into the rest before the names are mapped back.
  const series = [...keys.map((key) => `k:${key}`), "o"];
  const countRows: CountRow[] = counts.map((c) => ({ bucket: c.bucket, series: c.key === null ? "o" : `k:${c.key}`, events: c.events }));
  const points = fillBuckets(starts, series, countRows).map((p) => ({
    t: p.t,
    values: Object.fromEntries(Object.entries(p.values).map(([name, n]) => [name === "o" ? OTHER : name.slice(2), n])),
  }));
  return { ...result, bucketMinutes: size, timeZone, points };
}
