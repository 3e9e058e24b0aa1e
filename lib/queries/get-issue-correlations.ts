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

/**
 * The visitor params (name = value) over-represented among the issue's affected visitors.
 * Affected: visitors with an event of the issue in the range. Baseline: the website's visitors
 * active in the range (first seen before `to`, last seen at or after `from`), which includes
 * the affected ones. A visitor's params are those of their latest event (visitors.params).
 * For each name = value held by at least `minVisitors` affected visitors: its share among
 * affected and overall, and lift = affected share / overall share (1 = no correlation).
 * Non-string values are compared as their JSON text (`5`, `true`). Sorted by lift, then support.
 */
export async function getIssueCorrelations(issueId: string, q: IssueCorrelationsQuery) {
  const { from, to } = rangeOf(q);
  const rows = await db().$queryRaw<{ name: string | null; value: string | null; affected: number; overall: number }[]>`
    WITH affected AS (
      SELECT DISTINCT visitor_id FROM events
      WHERE issue_id = ${issueId}::bigint AND website_id = ${q.websiteId} AND occurred_at >= ${from} AND occurred_at < ${to}
    ), population AS (
      SELECT v.id, v.params, a.visitor_id IS NOT NULL AS hit
      FROM visitors v LEFT JOIN affected a ON a.visitor_id = v.id
      WHERE v.website_id = ${q.websiteId} AND v.first_seen < ${to} AND v.last_seen >= ${from}
    ), pairs AS (
      SELECT DISTINCT p.id, p.hit,
        left(param ->> 'name', ${MAX_TEXT}::int) AS name,
        left(CASE WHEN jsonb_typeof(param -> 'value') = 'string' THEN param ->> 'value' ELSE coalesce(param -> 'value', 'null'::jsonb)::text END, ${MAX_TEXT}::int) AS value
      FROM population p
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(p.params) = 'array' THEN p.params ELSE '[]'::jsonb END) AS param
      WHERE jsonb_typeof(param) = 'object' AND jsonb_typeof(param -> 'name') = 'string'
    ), counted AS (
      SELECT name, value, (count(*) FILTER (WHERE hit))::int AS affected, count(*)::int AS overall
      FROM pairs GROUP BY name, value
    )
    SELECT NULL AS name, NULL AS value, (count(*) FILTER (WHERE hit))::int AS affected, count(*)::int AS overall FROM population
    UNION ALL
    SELECT name, value, affected, overall FROM counted WHERE affected >= ${q.minVisitors}`;
  const totals = rows.find((r) => r.name === null) ?? { affected: 0, overall: 0 };
  const params = rows
    .filter((r) => r.name !== null)
    .map((r) => {
      const affectedShare = r.affected / totals.affected;
      const overallShare = r.overall / totals.overall;
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
    params,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
