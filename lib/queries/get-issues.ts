import { z } from "zod";
import { containsPattern, dateRange, decodeCursor, encodeCursor, listPaging, search, statsFilters } from "../api/params";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { shownStatusSql, type IssueRowColumns } from "../issues/sql";
import { ISSUE_STATUSES } from "../issues/states";
import { eventConditions, holds } from "./filters";
import { rangeOf } from "./get-timeseries";
import { issueEventsSql } from "./issue-rollup";
import { HOURLY_ROLLUP_MINUTES, planRange, rangeLimit, type Plan } from "./range";

export const ISSUE_SORTS = ["events", "lastSeen", "firstSeen", "visitors"] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];
export const SPARKLINE_POINTS = 24;

/** `status=open` or `status=open,regressed`: one or more states (as shown), comma-separated. */
const statusList = z
  .string()
  .max(100)
  .transform((value) => [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))])
  .pipe(z.array(z.enum(ISSUE_STATUSES)).min(1, "Expected at least one status"));

export const issuesQuery = z
  .intersection(
    z.intersection(statsFilters.extend({ q: search, sort: z.enum(ISSUE_SORTS).default("events"), status: statusList.optional() }), listPaging),
    dateRange,
  )
  .refine(...rangeLimit);
export type IssuesQuery = z.infer<typeof issuesQuery>;

const cursorSchema = z.tuple([z.enum(ISSUE_SORTS), z.number(), z.string().regex(/^-?\d{1,19}$/)]);

/**
 * Events in the range come from rollup_issue_1h (widened to whole hours; whole UTC days
 * inside it from rollup_issue_1d, see issue-rollup.ts) unless the range is
 * 6 hours or shorter, or a filter is set that the rollup does not hold (`country`,
 * `visitorId`, `url`, `prop`; `kind` and `issueId` it holds): then raw events with the exact
 * bounds.
 */
export function issuesPlan(q: IssuesQuery): Plan {
  return planRange(rangeOf(q), HOURLY_ROLLUP_MINUTES, !holds(q, ["kind", "issueId"]));
}

/** (issue_id, at, events) in the range, for the website or for the given issues only. */
function source(q: IssuesQuery, plan: Plan, ids: string[] | null): Prisma.Sql {
  const issueId = q.issueId ?? null;
  if (plan.granularity === null) {
    return Prisma.sql`
      SELECT issue_id, occurred_at AS at, 1 AS events FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
        AND (${ids}::bigint[] IS NULL OR issue_id = ANY(${ids}::bigint[]))
        ${eventConditions(q)}`;
  }
  return Prisma.sql`
    SELECT issue_id, bucket AS at, events FROM rollup_issue_1h
    WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}
      AND (${issueId}::bigint IS NULL OR issue_id = ${issueId}::bigint)
      AND (${ids}::bigint[] IS NULL OR issue_id = ANY(${ids}::bigint[]))`;
}

/** Each sort as a float8 (timestamps as epoch milliseconds, exact in a double), newest/most first. */
const SORT_VALUE: Record<IssueSort, Prisma.Sql> = {
  events: Prisma.sql`ir.events::float8`,
  visitors: Prisma.sql`i.visitor_count::float8`,
  lastSeen: Prisma.sql`(extract(epoch FROM i.last_seen) * 1000)::float8`,
  firstSeen: Prisma.sql`(extract(epoch FROM i.first_seen) * 1000)::float8`,
};

type Row = IssueRowColumns & {
  events: number;
  sort_value: number;
};

/**
 * Issues with events in the range (in the given states; never those merged into another),
 * sorted (descending, ties by id) and paged with a keyset
 * cursor. `events` counts the range, `totalEvents` and `visitors` all time; the sparkline
 * splits the range into 24 equal parts (with the hourly rollup, each hour counts in the part
 * its start falls in, so parts shorter than an hour can be empty).
 */
export async function getIssues(q: IssuesQuery) {
  const plan = issuesPlan(q);
  const kinds = q.kind ?? null;
  const pattern = q.q ? containsPattern(q.q) : null;
  const statuses = q.status ?? null;
  let after: [number, string] | null = null;
  if (q.cursor) {
    const [sort, value, id] = decodeCursor(q.cursor, cursorSchema);
    if (sort !== q.sort) throw new ApiError("bad_request", "Invalid cursor: it belongs to another sort order.");
    after = [value, id];
  }
  const rows = await db().$queryRaw<Row[]>`
    WITH src AS (${plan.granularity === null ? source(q, plan, null) : issueEventsSql(q.websiteId, plan, q.issueId ?? null)}),
    in_range AS (SELECT issue_id, sum(events)::int AS events FROM src GROUP BY issue_id),
    listed AS (
      SELECT i.id, i.kind, i.title, i.first_seen, i.last_seen, i.event_count, i.visitor_count, ${shownStatusSql("i")} AS status,
        i.assignee_id, ir.events, ${SORT_VALUE[q.sort]} AS sort_value
      FROM in_range ir JOIN issues i ON i.id = ir.issue_id
      WHERE i.website_id = ${q.websiteId}
        AND (${kinds}::text[] IS NULL OR i.kind = ANY(${kinds}::text[]))
        AND (${pattern}::text IS NULL OR i.title ILIKE ${pattern})
        AND (${statuses}::text[] IS NULL OR ${shownStatusSql("i")} = ANY(${statuses}::text[]))
        AND NOT EXISTS (SELECT FROM issue_merges m WHERE m.source_issue_id = i.id)
    )
    SELECT l.id::text AS id, l.kind, l.title, l.first_seen, l.last_seen, l.event_count, l.visitor_count, l.status,
      l.assignee_id, u.name AS assignee_name, l.events, l.sort_value
    FROM listed l LEFT JOIN users u ON u.id = l.assignee_id
    WHERE (${after?.[0] ?? null}::float8 IS NULL
      OR l.sort_value < ${after?.[0] ?? null}::float8
      OR (l.sort_value = ${after?.[0] ?? null}::float8 AND l.id < ${after?.[1] ?? null}::bigint))
    -- l.id, the bigint: a bare "id" would be the text output column.
    ORDER BY l.sort_value DESC, l.id DESC
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor([q.sort, last.sort_value, last.id]) : null;

  const ids = page.map((r) => r.id);
  const span = plan.to.getTime() - plan.from.getTime();
  const parts = ids.length
    ? await db().$queryRaw<{ id: string; part: number; events: number }[]>`
        SELECT issue_id::text AS id,
          least(${SPARKLINE_POINTS - 1}::int, floor((extract(epoch FROM at) * 1000 - ${plan.from.getTime()}::float8) * ${SPARKLINE_POINTS}::int / ${span}::float8)::int) AS part,
          sum(events)::int AS events
        FROM (${source(q, plan, ids)}) src GROUP BY 1, 2`
    : [];
  const sparklines = new Map(ids.map((id) => [id, new Array<number>(SPARKLINE_POINTS).fill(0)]));
  for (const p of parts) {
    const line = sparklines.get(p.id);
    if (line && p.part >= 0) line[p.part]! += p.events;
  }
  return {
    from: plan.from.toISOString(),
    to: plan.to.toISOString(),
    issues: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      events: r.events,
      totalEvents: r.event_count,
      visitors: r.visitor_count,
      status: r.status,
      assignee: r.assignee_id === null ? null : { id: r.assignee_id, name: r.assignee_name ?? "" },
      sparkline: sparklines.get(r.id)!,
    })),
    nextCursor,
  };
}
