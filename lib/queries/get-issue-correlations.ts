import { z } from "zod";
import { db } from "../db/client";
import { rangeOf } from "./get-timeseries";
import { issueRangeQuery } from "./get-issue";

export const issueCorrelationsQuery = z.intersection(
  issueRangeQuery,
  z.object({
    /** Support: a value is listed only when at least this many affected visitors have it. */
    minVisitors: z.coerce.number().int().min(1).max(1000).default(3),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  }),
);
export type IssueCorrelationsQuery = z.infer<typeof issueCorrelationsQuery>;

/** Longer names and values are cut, so one huge param cannot blow up the answer. */
const MAX_TEXT = 200;

/** Past these sizes the comparison reads a sample: the issue's latest events and the most recently seen visitors. */
export const CORRELATION_SAMPLE = { events: 10_000, visitors: 10_000 };

/**
 * The visitor params (name = value) over-represented among the issue's affected visitors.
 * Affected: visitors with an event of the issue in the range. Baseline: the website's visitors
 * active in the range (first seen before `to`, last seen at or after `from`), which includes
 * the affected ones. A visitor's params are those of their latest event (visitors.params).
 * For each name = value held by at least `minVisitors` affected visitors: its share among
 * affected and overall, and lift = affected share / overall share (1 = no correlation).
 * Non-string values are compared as their JSON text (`5`, `true`). Sorted by lift, then support.
 *
 * Exact up to CORRELATION_SAMPLE; beyond it (a hot issue, a big website) the affected visitors
 * are those of the issue's latest events and the baseline the most recently seen visitors, and
 * `sampled` says so: the shares are then estimates (a few hundred milliseconds at most).
 */
export async function getIssueCorrelations(issueId: string, q: IssueCorrelationsQuery) {
  const { from, to } = rangeOf(q);
  const rows = await db().$queryRaw<{ name: string | null; value: string | null; affected: number; overall: number; sampled: boolean | null }[]>`
    WITH latest AS (
      SELECT visitor_id FROM events
      WHERE issue_id = ${issueId}::bigint AND website_id = ${q.websiteId} AND occurred_at >= ${from} AND occurred_at < ${to}
      ORDER BY occurred_at DESC LIMIT ${CORRELATION_SAMPLE.events + 1}
    ), affected AS (
      SELECT DISTINCT visitor_id AS id FROM (SELECT visitor_id FROM latest LIMIT ${CORRELATION_SAMPLE.events}) l
    ), base AS (
      SELECT id FROM visitors
      WHERE website_id = ${q.websiteId} AND last_seen >= ${from} AND first_seen < ${to}
      ORDER BY last_seen DESC LIMIT ${CORRELATION_SAMPLE.visitors + 1}
    ), base_sample AS (
      SELECT id FROM base LIMIT ${CORRELATION_SAMPLE.visitors}
    ), people AS (
      SELECT v.id, v.params, v.id IN (SELECT id FROM affected) AS hit, v.id IN (SELECT id FROM base_sample) AS counted
      FROM visitors v
      WHERE v.website_id = ${q.websiteId} AND v.id IN (SELECT id FROM affected UNION SELECT id FROM base_sample)
    ), counted AS (
      -- Params are an array of {name, value} objects (lib/livesession/schema.ts); anything else
      -- is skipped, and a name = value a visitor lists twice counts once.
      SELECT x.name, x.value, (count(*) FILTER (WHERE p.hit))::int AS affected, (count(*) FILTER (WHERE p.counted))::int AS overall
      FROM people p
      CROSS JOIN LATERAL (
        SELECT DISTINCT left(r.name, ${MAX_TEXT}::int) AS name,
          left(CASE WHEN jsonb_typeof(r.value) = 'string' THEN r.value #>> '{}' ELSE coalesce(r.value, 'null'::jsonb)::text END, ${MAX_TEXT}::int) AS value
        FROM jsonb_to_recordset(jsonb_path_query_array(CASE WHEN jsonb_typeof(p.params) = 'array' THEN p.params ELSE '[]'::jsonb END, '$[*] ? (@.type() == "object")')) AS r(name text, value jsonb)
        WHERE r.name IS NOT NULL
      ) x
      GROUP BY x.name, x.value
    )
    SELECT NULL AS name, NULL AS value, (count(*) FILTER (WHERE hit))::int AS affected, (count(*) FILTER (WHERE counted))::int AS overall,
      (SELECT count(*) FROM latest) > ${CORRELATION_SAMPLE.events} OR (SELECT count(*) FROM base) > ${CORRELATION_SAMPLE.visitors} AS sampled
    FROM people
    UNION ALL
    SELECT name, value, affected, overall, NULL FROM counted WHERE affected >= ${q.minVisitors}`;
  const totals = rows.find((r) => r.name === null) ?? { affected: 0, overall: 0, sampled: false };
  const params = rows
    .filter((r) => r.name !== null)
    .map((r) => {
      const affectedShare = r.affected / totals.affected;
      // An affected visitor outside a sampled baseline can leave a value unseen there: at least 1.
      const overallShare = Math.max(r.overall, 1) / totals.overall;
      return { name: r.name!, value: r.value!, affected: r.affected, overall: r.overall, affectedShare, overallShare, lift: affectedShare / overallShare };
    })
    .sort((a, b) => b.lift - a.lift || b.affected - a.affected || cmp(a.name, b.name) || cmp(a.value, b.value))
    .slice(0, q.limit);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    affectedVisitors: totals.affected,
    visitors: totals.overall,
    minVisitors: q.minVisitors,
    sampled: totals.sampled === true,
    params,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
