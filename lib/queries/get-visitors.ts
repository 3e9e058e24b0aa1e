import { z } from "zod";
import { containsPattern, dateRange, decodeCursor, encodeCursor, listPaging, search, statsFilters } from "../api/params";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { rangeOf } from "./get-timeseries";
import { eventConditions, holds } from "./filters";
import { alignRange, DAILY_ROLLUP_MINUTES, rangeLimit, type Plan } from "./range";
import { kindSum, visitorDaysSql } from "./visitor-rollup";

export const VISITOR_SORTS = ["frustration", "lastSeen", "errors"] as const;
export type VisitorSort = (typeof VISITOR_SORTS)[number];

/** The kinds counted as a visitor's errors (rage clicks are counted on their own). */
export const VISITOR_ERROR_KINDS = ["JSError", "NetError", "ErrorClick"] as const;

/**
 * frustration = errors × 1 + rage clicks × 3. A rage click is the visitor visibly fighting
 * the page, while many errors (a failed background request, a console error) go unnoticed,
 * so one rage click weighs as much as three errors when ranking who had the worst time.
 */
export const FRUSTRATION_WEIGHTS = { error: 1, rageClick: 3 } as const;

export const visitorsQuery = z
  .intersection(
    z.intersection(
      statsFilters.extend({ q: search, sort: z.enum(VISITOR_SORTS).default("frustration") }),
      listPaging,
    ),
    dateRange,
  )
  .refine(...rangeLimit);
export type VisitorsQuery = z.infer<typeof visitorsQuery>;

const cursorSchema = z.tuple([z.enum(VISITOR_SORTS), z.number(), z.string().max(255)]);

const SORT_VALUE: Record<VisitorSort, Prisma.Sql> = {
  frustration: Prisma.sql`frustration::float8`,
  errors: Prisma.sql`errors::float8`,
  lastSeen: Prisma.sql`(extract(epoch FROM last_seen) * 1000)::float8`,
};

type Row = {
  id: string;
  name: string | null;
  email: string | null;
  country_code: string | null;
  city: string | null;
  last_seen: Date;
  errors: number;
  rage_clicks: number;
  frustration: number;
  sort_value: number;
};

/**
 * Where visitors' counts come from: rollup_visitor_days (the range widened to whole UTC days,
 * however short) when at most `kind` and `visitorId` are set, else raw events with the exact bounds (a
 * `country`, `issueId`, `url` or `prop` filter; cheap with `issueId` or `url`, a scan of the
 * range's events with `country` or `prop`).
 */
export function visitorsPlan(q: VisitorsQuery): Plan {
  const range = rangeOf(q);
  if (!holds(q, ["kind", "visitorId"])) return { ...range, granularity: null };
  return { ...alignRange(range, DAILY_ROLLUP_MINUTES), granularity: DAILY_ROLLUP_MINUTES };
}

function countsSql(q: VisitorsQuery, plan: Plan, errorKinds: string[], counted: string[]): Prisma.Sql {
  if (plan.granularity === null) {
    return Prisma.sql`
      SELECT visitor_id,
        (count(*) FILTER (WHERE kind = ANY(${errorKinds}::text[])))::int AS errors,
        (count(*) FILTER (WHERE kind = 'RageClick'))::int AS rage_clicks
      FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
        ${eventConditions(q, { kinds: counted })}
      GROUP BY visitor_id`;
  }
  // rollup_visitor_days: one row per visitor (weeks and days summed), a column per kind.
  const visitor = q.visitorId === undefined ? Prisma.empty : Prisma.sql`AND v.id = ${q.visitorId}`;
  const rage = counted.includes("RageClick") ? ["RageClick"] : [];
  return Prisma.sql`
    SELECT v.id AS visitor_id, a.errors, a.rage_clicks FROM (
      SELECT visitor_num, ${kindSum(errorKinds)}::int AS errors, ${kindSum(rage)}::int AS rage_clicks
      FROM (${visitorDaysSql(q.websiteId, plan)}) d
    ) a JOIN visitors v ON v.website_id = ${q.websiteId} AND v.num = a.visitor_num
    WHERE (a.errors > 0 OR a.rage_clicks > 0) ${visitor}`;
}

/**
 * Visitors with errors or rage clicks in the range (narrowed by the filters; a `kind` filter
 * keeps only those kinds' counts). Sorted descending (ties by id), keyset-paged; `q` matches
 * the name, email or id.
 */
export async function getVisitors(q: VisitorsQuery) {
  const range = visitorsPlan(q);
  const keep = (kind: string) => !q.kind || q.kind.includes(kind);
  const errorKinds = VISITOR_ERROR_KINDS.filter(keep);
  const counted = [...errorKinds, ...(keep("RageClick") ? ["RageClick"] : [])];
  const pattern = q.q ? containsPattern(q.q) : null;
  let after: [number, string] | null = null;
  if (q.cursor) {
    const [sort, value, id] = decodeCursor(q.cursor, cursorSchema);
    if (sort !== q.sort) throw new ApiError("bad_request", "Invalid cursor: it belongs to another sort order.");
    after = [value, id];
  }
  const rows = await db().$queryRaw<Row[]>`
    WITH per AS (${countsSql(q, range, errorKinds, counted)}),
    listed AS (
      SELECT v.id, v.name, v.email, v.country_code, v.city, v.last_seen, per.errors, per.rage_clicks,
        (per.errors * ${FRUSTRATION_WEIGHTS.error}::int + per.rage_clicks * ${FRUSTRATION_WEIGHTS.rageClick}::int) AS frustration
      FROM per JOIN visitors v ON v.website_id = ${q.websiteId} AND v.id = per.visitor_id
      WHERE ${pattern}::text IS NULL OR v.name ILIKE ${pattern} OR v.email ILIKE ${pattern} OR v.id ILIKE ${pattern}
    ), sorted AS (
      SELECT *, ${SORT_VALUE[q.sort]} AS sort_value FROM listed
    )
    SELECT * FROM sorted
    WHERE (${after?.[0] ?? null}::float8 IS NULL
      OR sort_value < ${after?.[0] ?? null}::float8
      OR (sort_value = ${after?.[0] ?? null}::float8 AND id COLLATE "C" < ${after?.[1] ?? null}::text COLLATE "C"))
    ORDER BY sort_value DESC, id COLLATE "C" DESC
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    visitors: page.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      countryCode: r.country_code,
      city: r.city,
      lastSeen: r.last_seen.toISOString(),
      errors: r.errors,
      rageClicks: r.rage_clicks,
      frustration: r.frustration,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([q.sort, last.sort_value, last.id]) : null,
  };
}
