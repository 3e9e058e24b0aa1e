// Failing endpoints: NetError issues grouped by method and URL template.
//
// A NetError issue is one (method, URL template, status) (lib/ingest/fingerprint.ts). The list
// groups a website's NetError issues by (method, template), so a row is an endpoint with the
// statuses it failed with. Counts over long ranges come from rollup_issue_1h (one row per issue
// and hour); the method, template and status of each issue are read from its newest event
// through the events(issue_id, occurred_at) index, one lookup per issue, never a scan.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { containsPattern, dateRange, decodeCursor, encodeCursor, listPaging, search, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { rangeOf } from "./get-timeseries";
import { HOUR, HOURLY_ROLLUP_MINUTES, planRange, rangeLimit, splitDays, type Plan, type Range } from "./range";

export const URL_SORTS = ["events", "lastSeen"] as const;
export type UrlSort = (typeof URL_SORTS)[number];
export const URL_SPARKLINE_POINTS = 24;

/** An HTTP status (`status=500`), to list only the endpoints' failures with that status. */
export const statusParam = z.coerce.number().int().min(0).max(999);

export const urlsQuery = z
  .intersection(
    z.intersection(statsFilters.extend({
        q: search,
        sort: z.enum(URL_SORTS).default("events"),
        status: statusParam.optional(),
        /** One URL template exactly (the view's URL filter). */
        url: z.string().min(1).max(2000).optional(),
      }), listPaging),
    dateRange,
  )
  .refine(...rangeLimit);
export type UrlsQuery = z.infer<typeof urlsQuery>;

/** What every URL query shares: the website, range and the filters that narrow events. */
export type UrlScope = Pick<UrlsQuery, "websiteId" | "from" | "to" | "country" | "visitorId" | "issueId">;

// ---- ids of URL pages: the template, base64url-encoded ("-" for the empty template) ----

export function urlId(template: string): string {
  return template === "" ? "-" : Buffer.from(template, "utf8").toString("base64url");
}

/** The template a URL page id names, or null when the id is not one urlId() makes. */
export function templateOf(id: string): string | null {
  if (id === "-") return "";
  if (!/^[A-Za-z0-9_-]{1,6000}$/.test(id)) return null;
  const template = Buffer.from(id, "base64url").toString("utf8");
  return template !== "" && urlId(template) === id ? template : null;
}

// ---- sources ----

/**
 * Raw events with exact bounds when the range is 6 hours or shorter or a country or visitor
 * filter is set (the issue rollup holds neither), else rollup_issue_1h widened to whole hours.
 */
export function urlsPlan(q: UrlScope): Plan {
  return planRange(rangeOf(q), HOURLY_ROLLUP_MINUTES, q.country !== undefined || q.visitorId !== undefined);
}

/** (issue_id, at, events) of the website's NetError events in the plan, optionally of `ids` only. */
export function netSource(q: UrlScope, plan: Plan, ids: string[] | null): Prisma.Sql {
  const issueId = q.issueId ?? null;
  if (plan.granularity === null) {
    const country = q.country ?? null;
    const visitorId = q.visitorId ?? null;
    return Prisma.sql`
      SELECT issue_id, occurred_at AS at, 1 AS events FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to} AND kind = 'NetError'
        AND (${issueId}::bigint IS NULL OR issue_id = ${issueId}::bigint)
        AND (${ids}::bigint[] IS NULL OR issue_id = ANY(${ids}::bigint[]))
        AND (${country}::text IS NULL OR coalesce(country_code, '') = ${country})
        AND (${visitorId}::text IS NULL OR visitor_id = ${visitorId})`;
  }
  // From the website's NetError issues to their hours (the rollup's key), so only NetError rows
  // are read rather than every issue's hours of the range.
  return Prisma.sql`
    SELECT r.issue_id, r.bucket AS at, r.events FROM issues i
    JOIN rollup_issue_1h r ON r.issue_id = i.id AND r.bucket >= ${plan.from} AND r.bucket < ${plan.to}
    WHERE i.website_id = ${q.websiteId} AND i.kind = 'NetError'
      AND (${issueId}::bigint IS NULL OR i.id = ${issueId}::bigint)
      AND (${ids}::bigint[] IS NULL OR i.id = ANY(${ids}::bigint[]))`;
}

/**
 * (issue_id, events) of the website's NetError events in the plan, several rows per issue: as
 * netSource, but a rollup plan reads the whole UTC days inside it from rollup_issue_1d and only
 * the hours at either end from rollup_issue_1h (~31 rows per issue for 30 days, not ~720).
 */
export function netPerIssue(q: UrlScope, plan: Plan): Prisma.Sql {
  if (plan.granularity === null) return Prisma.sql`SELECT issue_id, events FROM (${netSource(q, plan, null)}) src`;
  const issueId = q.issueId ?? null;
  const { days, hours } = splitDays(plan);
  const part = (table: string, range: Range) => Prisma.sql`
    SELECT r.issue_id, r.events FROM issues i
    JOIN ${Prisma.raw(table)} r ON r.issue_id = i.id AND r.bucket >= ${range.from} AND r.bucket < ${range.to}
    WHERE i.website_id = ${q.websiteId} AND i.kind = 'NetError'
      AND (${issueId}::bigint IS NULL OR i.id = ${issueId}::bigint)`;
  return Prisma.sql`${part("rollup_issue_1d", days)} UNION ALL ${part("rollup_issue_1h", hours[0])} UNION ALL ${part("rollup_issue_1h", hours[1])}`;
}

/** The method (upper case, as grouped), URL template and status of each issue, from its newest event. */
export const endpointOf = (issueId: Prisma.Sql) => Prisma.sql`
  CROSS JOIN LATERAL (
    SELECT upper(coalesce(ev.method, '')) AS method, coalesce(ev.url_template, '') AS template, ev.status
    FROM events ev WHERE ev.issue_id = ${issueId} ORDER BY ev.occurred_at DESC LIMIT 1
  ) ep`;

/**
 * Every failed request of the website in the plan: from rollup_kind_15m when the plan reads
 * rollups (its hour-aligned bounds are whole 15-minute buckets too), a few thousand rows.
 */
export function netTotal(q: UrlScope, plan: Plan): Prisma.Sql {
  if (plan.granularity === null || q.issueId !== undefined) {
    return Prisma.sql`SELECT coalesce(sum(events), 0)::int AS total FROM (${netSource(q, plan, null)}) src`;
  }
  return Prisma.sql`
    SELECT coalesce(sum(events), 0)::int AS total FROM rollup_kind_15m
    WHERE website_id = ${q.websiteId} AND kind = 'NetError' AND bucket >= ${plan.from} AND bucket < ${plan.to}`;
}

/** Failures per hour over the plan's span. */
export function perHour(events: number, plan: Plan): number {
  const hours = (plan.to.getTime() - plan.from.getTime()) / HOUR;
  return hours > 0 ? Math.round((events / hours) * 100) / 100 : 0;
}

/** The share `part` is of `whole`, as a fraction rounded to 4 decimals (0 when whole is 0). */
export function shareOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}

/**
 * Distinct visitors per group of issues: in the range when the plan reads raw events, else all
 * time from issue_visitor_bits (issue_visitors as bits; no per-visitor counts exist per hour). `groups[i]` are issue ids.
 */
export async function visitorsOf(q: UrlScope, plan: Plan, groups: string[][]): Promise<number[]> {
  const index = groups.flatMap((ids, i) => ids.map(() => i));
  const ids = groups.flat();
  if (ids.length === 0) return groups.map(() => 0);
  const rows =
    plan.granularity === null
      ? await db().$queryRaw<{ idx: number; visitors: number }[]>`
          SELECT g.idx, count(DISTINCT e.visitor_id)::int AS visitors
          FROM unnest(${index}::int[], ${ids}::bigint[]) AS g(idx, issue_id)
          JOIN events e ON e.issue_id = g.issue_id AND e.occurred_at >= ${plan.from} AND e.occurred_at < ${plan.to}
            AND (${q.country ?? null}::text IS NULL OR coalesce(e.country_code, '') = ${q.country ?? null})
            AND (${q.visitorId ?? null}::text IS NULL OR e.visitor_id = ${q.visitorId ?? null})
          GROUP BY g.idx`
      : // issue_visitor_bits holds each issue's visitors (issue_visitors) as bits of their
        // numbers: OR a group's rows per chunk and count the bits, a few rows per issue.
        await db().$queryRaw<{ idx: number; visitors: number }[]>`
          SELECT idx, sum(bit_count(bits))::int AS visitors FROM (
            SELECT g.idx, b.chunk, bit_or(b.bits) AS bits
            FROM unnest(${index}::int[], ${ids}::bigint[]) AS g(idx, issue_id)
            JOIN issue_visitor_bits b ON b.issue_id = g.issue_id
            GROUP BY g.idx, b.chunk
          ) per_chunk
          GROUP BY idx`;
  const counts = groups.map(() => 0);
  for (const row of rows) counts[row.idx] = row.visitors;
  return counts;
}

/** The sparkline part (0 to points - 1) of a time in the plan, as the SQL below computes it. */
function partOf(ms: number, plan: Plan, points: number): number {
  const span = plan.to.getTime() - plan.from.getTime();
  return Math.min(points - 1, Math.floor(((ms - plan.from.getTime()) * points) / span));
}

/**
 * Events per issue and sparkline part. Raw events compute each one's part; a rollup plan's rows
 * are whole hours, so the parts are runs of hours computed here, each read as bucket ranges:
 * its whole UTC days from rollup_issue_1d and the hours around them from rollup_issue_1h
 * (~170 rows per issue for 30 days instead of ~720, and no per-row arithmetic).
 */
function sparklineParts(q: UrlScope, plan: Plan, ids: string[]) {
  const span = plan.to.getTime() - plan.from.getTime();
  if (plan.granularity === null) {
    return db().$queryRaw<{ id: string; part: number; events: number }[]>`
      SELECT issue_id::text AS id,
        least(${URL_SPARKLINE_POINTS - 1}::int, floor((extract(epoch FROM at) * 1000 - ${plan.from.getTime()}::float8) * ${URL_SPARKLINE_POINTS}::int / ${span}::float8)::int) AS part,
        sum(events)::int AS events
      FROM (${netSource(q, plan, ids)}) src GROUP BY 1, 2`;
  }
  const runs: { from: Date; to: Date; part: number }[] = [];
  for (let at = plan.from.getTime(); at < plan.to.getTime(); at += HOUR) {
    const part = partOf(at, plan, URL_SPARKLINE_POINTS);
    const last = runs.at(-1);
    if (last && last.part === part) last.to = new Date(at + HOUR);
    else runs.push({ from: new Date(at), to: new Date(at + HOUR), part });
  }
  // Each run's whole UTC days from rollup_issue_1d, its other hours from rollup_issue_1h.
  const days: { from: Date; to: Date; part: number }[] = [];
  const hours: { from: Date; to: Date; part: number }[] = [];
  for (const run of runs) {
    const split = splitDays(run);
    if (split.days.from < split.days.to) days.push({ ...split.days, part: run.part });
    for (const h of split.hours) if (h.from < h.to) hours.push({ ...h, part: run.part });
  }
  const segments = (table: string, list: { from: Date; to: Date; part: number }[]) => Prisma.sql`
    SELECT r.issue_id, p.part, r.events
    FROM unnest(${list.map((r) => r.from)}::timestamptz[], ${list.map((r) => r.to)}::timestamptz[], ${list.map((r) => r.part)}::int[]) AS p(from_at, to_at, part)
    JOIN issues i ON i.id = ANY(${ids}::bigint[]) AND i.website_id = ${q.websiteId} AND i.kind = 'NetError'
    JOIN ${Prisma.raw(table)} r ON r.issue_id = i.id AND r.bucket >= p.from_at AND r.bucket < p.to_at`;
  return db().$queryRaw<{ id: string; part: number; events: number }[]>`
    SELECT issue_id::text AS id, part, sum(events)::int AS events
    FROM (${segments("rollup_issue_1d", days)} UNION ALL ${segments("rollup_issue_1h", hours)}) src
    GROUP BY issue_id, part`;
}

// ---- the list ----

const cursorSchema = z.tuple([z.enum(URL_SORTS), z.number(), z.string(), z.string()]);

type Row = {
  method: string;
  template: string;
  events: number;
  first_seen: Date;
  last_seen: Date;
  ids: string[];
  statuses: { status: number | null; events: number }[];
  sort_value: number;
  total: number;
  matched: number;
};

const SORT_VALUE: Record<UrlSort, Prisma.Sql> = {
  events: Prisma.sql`g.events::float8`,
  lastSeen: Prisma.sql`(extract(epoch FROM g.last_seen) * 1000)::float8`,
};

/**
 * Endpoints (method + URL template) with failed requests in the range, sorted descending (ties
 * by method, then template) and paged with a keyset cursor. `share` is the endpoint's part of
 * all failed requests in the range (whatever `q`, `status` and `url`), `perHour` its failures per hour.
 * We only receive failures, so there is no success count to make a true error rate from.
 */
export async function getUrls(q: UrlsQuery) {
  const plan = urlsPlan(q);
  const pattern = q.q ? containsPattern(q.q) : null;
  const status = q.status ?? null;
  const template = q.url ?? null;
  let after: [number, string, string] | null = null;
  if (q.cursor) {
    const [sort, value, method, template] = decodeCursor(q.cursor, cursorSchema);
    if (sort !== q.sort) throw new ApiError("bad_request", "Invalid cursor: it belongs to another sort order.");
    after = [value, method, template];
  }
  const rows = await db().$queryRaw<Row[]>`
    WITH per_issue AS (SELECT issue_id, sum(events)::int AS events FROM (${netPerIssue(q, plan)}) src GROUP BY issue_id),
    net AS (
      SELECT p.issue_id, p.events, i.first_seen, i.last_seen, ep.method, ep.template, ep.status
      FROM per_issue p JOIN issues i ON i.id = p.issue_id AND i.website_id = ${q.websiteId} AND i.kind = 'NetError'
      ${endpointOf(Prisma.sql`p.issue_id`)}
    ),
    total AS (SELECT coalesce(sum(events), 0)::int AS total FROM net),
    g AS (
      SELECT method, template, sum(events)::int AS events, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
        array_agg(issue_id::text ORDER BY issue_id) AS ids,
        jsonb_agg(jsonb_build_object('status', status, 'events', events) ORDER BY events DESC, status) AS statuses
      FROM net
      WHERE (${status}::int IS NULL OR status = ${status}::int)
      GROUP BY method, template
    ),
    listed AS (
      SELECT g.*, ${SORT_VALUE[q.sort]} AS sort_value FROM g
      WHERE (${pattern}::text IS NULL OR (g.method || ' ' || g.template) ILIKE ${pattern})
        AND (${template}::text IS NULL OR g.template = ${template})
    ),
    matched AS (SELECT count(*)::int AS matched FROM listed)
    SELECT l.method, l.template, l.events, l.first_seen, l.last_seen, l.ids, l.statuses, l.sort_value, total.total, matched.matched
    FROM listed l CROSS JOIN total CROSS JOIN matched
    WHERE (${after?.[0] ?? null}::float8 IS NULL
      OR l.sort_value < ${after?.[0] ?? null}::float8
      OR (l.sort_value = ${after?.[0] ?? null}::float8
        AND (l.method COLLATE "C", l.template COLLATE "C") > (${after?.[1] ?? null}::text COLLATE "C", ${after?.[2] ?? null}::text COLLATE "C")))
    ORDER BY l.sort_value DESC, l.method COLLATE "C", l.template COLLATE "C"
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor([q.sort, last.sort_value, last.method, last.template]) : null;

  // Totals when the page is empty (no row to carry them).
  let total = rows[0]?.total;
  if (total === undefined) {
    const [row] = await db().$queryRaw<{ total: number }[]>(netTotal(q, plan));
    total = row?.total ?? 0;
  }

  const groups = page.map((r) => r.ids);
  const ids = groups.flat();
  const groupOf = new Map(groups.flatMap((g, i) => g.map((id) => [id, i] as const)));
  const span = plan.to.getTime() - plan.from.getTime();
  const [visitors, parts] = await Promise.all([
    visitorsOf(q, plan, groups),
    ids.length
      ? sparklineParts(q, plan, ids)
      : Promise.resolve([]),
  ]);
  const sparklines = page.map(() => new Array<number>(URL_SPARKLINE_POINTS).fill(0));
  for (const p of parts) {
    const group = groupOf.get(p.id);
    if (group !== undefined && p.part >= 0) sparklines[group]![p.part]! += p.events;
  }
  return {
    from: plan.from.toISOString(),
    to: plan.to.toISOString(),
    hours: span / HOUR,
    /** Failed requests in the range (every endpoint, whatever `q`, `status` and `url`). */
    total,
    perHour: perHour(total, plan),
    /** Endpoints matching `q`, `status` and `url` (all pages). */
    endpoints: rows[0]?.matched ?? 0,
    visitorsScope: plan.granularity === null ? ("range" as const) : ("allTime" as const),
    urls: page.map((r, i) => ({
      id: urlId(r.template),
      method: r.method,
      template: r.template,
      events: r.events,
      share: shareOf(r.events, total),
      perHour: perHour(r.events, plan),
      statuses: r.statuses,
      visitors: visitors[i]!,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      issueIds: r.ids,
      sparkline: sparklines[i]!,
    })),
    nextCursor,
  };
}

/** Flat rows of a URL list, for CSV/JSON export. */
export function urlExportRows(result: Awaited<ReturnType<typeof getUrls>>) {
  return result.urls.map((u) => ({
    method: u.method,
    template: u.template,
    events: u.events,
    share: u.share,
    perHour: u.perHour,
    statuses: u.statuses.map((s) => `${s.status ?? "none"}:${s.events}`).join(" "),
    visitors: u.visitors,
    visitorsScope: result.visitorsScope,
    firstSeen: u.firstSeen,
    lastSeen: u.lastSeen,
    from: result.from,
    to: result.to,
  }));
}
