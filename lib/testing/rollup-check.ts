// Every rollup and counter ingest maintains, recomputed from the stored events: after any
// traffic, retention run or erasure, each `actual` query must return the rows of its `expected`.
import type pg from "pg";
import { expect } from "vitest";

type Query = pg.Pool["query"];

export type RollupCheck = { name: string; actual: string; expected: string };

const ERROR_LIKE = "('JSError', 'NetError', 'ErrorClick', 'RageClick')";
const VISITOR_OF_EVENT = "events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id";

const visitorDays = (days: number): RollupCheck => ({
  name: `rollup_visitor_days (${days} days)`,
  actual: `SELECT website_id, bucket, visitor_num, js_errors, net_errors, error_clicks, rage_clicks, custom_events
           FROM rollup_visitor_days WHERE days = ${days}`,
  expected: `SELECT e.website_id, date_bin(make_interval(days => ${days}), e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num AS visitor_num,
               count(*) FILTER (WHERE kind = 'JSError')::int AS js_errors, count(*) FILTER (WHERE kind = 'NetError')::int AS net_errors,
               count(*) FILTER (WHERE kind = 'ErrorClick')::int AS error_clicks, count(*) FILTER (WHERE kind = 'RageClick')::int AS rage_clicks,
               count(*) FILTER (WHERE kind = 'Custom')::int AS custom_events
             FROM ${VISITOR_OF_EVENT}
             WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom') GROUP BY 1, 2, 3`,
});

export const ROLLUP_CHECKS: RollupCheck[] = [
  {
    name: "rollup_kind_15m",
    actual: "SELECT website_id, bucket, kind, events FROM rollup_kind_15m",
    expected: `SELECT website_id, date_bin('15 minutes', occurred_at, 'epoch'::timestamptz) AS bucket, kind, count(*)::int AS events
               FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_country_1h",
    actual: "SELECT website_id, bucket, kind, country_code, events FROM rollup_country_1h",
    expected: `SELECT website_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, kind,
                 coalesce(country_code, '') AS country_code, count(*)::int AS events
               FROM events GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "rollup_issue_1h",
    actual: "SELECT issue_id, bucket, website_id, events FROM rollup_issue_1h",
    expected: `SELECT issue_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
               FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_issue_1d",
    actual: "SELECT issue_id, bucket, website_id, events FROM rollup_issue_1d",
    expected: `SELECT issue_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
               FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "issues",
    actual: "SELECT id, event_count, visitor_count, first_seen, last_seen FROM issues",
    expected: `SELECT issue_id AS id, count(*)::int AS event_count, count(DISTINCT visitor_id)::int AS visitor_count,
                 min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
               FROM events GROUP BY issue_id`,
  },
  {
    name: "issue_visitors",
    actual: "SELECT issue_id, visitor_id FROM issue_visitors",
    expected: "SELECT DISTINCT issue_id, visitor_id FROM events",
  },
  {
    name: "rollup_visitor_bits_1h",
    actual: "SELECT website_id, bucket, chunk, bits::text AS bits FROM rollup_visitor_bits_1h",
    expected: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num / 4096 AS chunk,
                 bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
               FROM ${VISITOR_OF_EVENT} WHERE e.kind IN ${ERROR_LIKE} GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_visitor_kind_bits_1h",
    actual: "SELECT website_id, bucket, kind, chunk, bits::text AS bits FROM rollup_visitor_kind_bits_1h",
    expected: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, e.kind, v.num / 4096 AS chunk,
                 bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
               FROM ${VISITOR_OF_EVENT} WHERE e.kind IN ${ERROR_LIKE} GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "rollup_country_bits_1h",
    actual: "SELECT website_id, bucket, country_code, chunk, bits::text AS bits FROM rollup_country_bits_1h",
    expected: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, coalesce(e.country_code, '') AS country_code,
                 v.num / 4096 AS chunk, bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
               FROM ${VISITOR_OF_EVENT} WHERE e.kind IN ${ERROR_LIKE} GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "affected visitors (bits counted = distinct visitors with an error)",
    actual: `SELECT (SELECT sum(bit_count(b))::int FROM (SELECT bit_or(bits) AS b FROM rollup_visitor_bits_1h GROUP BY website_id, chunk) x) AS n`,
    expected: `SELECT nullif(count(*), 0)::int AS n FROM (SELECT DISTINCT website_id, visitor_id FROM events WHERE kind IN ${ERROR_LIKE}) x`,
  },
  {
    name: "visitor numbers are distinct",
    actual: "SELECT count(DISTINCT num)::int AS n FROM visitors",
    expected: "SELECT count(*)::int AS n FROM visitors",
  },
  {
    name: "issue_visitor_bits",
    actual: "SELECT issue_id, chunk, bits::text AS bits FROM issue_visitor_bits",
    expected: `SELECT e.issue_id, v.num / 4096 AS chunk, bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
               FROM ${VISITOR_OF_EVENT} GROUP BY 1, 2`,
  },
  {
    name: "issue_visitor_bits counted = issues.visitor_count",
    actual: `SELECT i.id FROM issues i
             LEFT JOIN (SELECT issue_id, sum(bit_count(bits))::int AS n FROM issue_visitor_bits GROUP BY 1) b ON b.issue_id = i.id
             WHERE coalesce(b.n, 0) <> i.visitor_count`,
    expected: "SELECT NULL AS id WHERE false",
  },
  {
    name: "rollup_visitor_1d",
    actual: "SELECT website_id, bucket, visitor_id, kind, events FROM rollup_visitor_1d",
    expected: `SELECT website_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, visitor_id, kind, count(*)::int AS events
               FROM events GROUP BY 1, 2, 3, 4`,
  },
  visitorDays(1),
  visitorDays(7),
  {
    name: "visitors",
    actual: "SELECT website_id, id, event_count, first_seen, last_seen FROM visitors",
    expected: `SELECT website_id, visitor_id AS id, count(*)::int AS event_count, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
               FROM events GROUP BY 1, 2`,
  },
];

/** A query's rows as sorted JSON, so a mismatch shows which group differs. */
export async function sortedRows(query: Query, sql: string): Promise<string[]> {
  const { rows } = await query(sql);
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Asserts every check, naming the one that fails; returns how many rows each compared. */
export async function expectRollupsMatchEvents(query: Query): Promise<Record<string, number>> {
  const compared: Record<string, number> = {};
  for (const check of ROLLUP_CHECKS) {
    const actual = await sortedRows(query, check.actual);
    expect(actual, check.name).toEqual(await sortedRows(query, check.expected));
    compared[check.name] = actual.length;
  }
  return compared;
}
