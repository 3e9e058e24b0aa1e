import { expect } from "vitest";
import type { ScratchDatabase } from "./database";

// Every counter and rollup ingest keeps, as stored and as recomputed from the events table: after
// any traffic the two must agree.

const BITS = "bit_or(B'1'::bit(4096) >> (v.num % 4096))::text";
const AFFECTING = "e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')";
const VISITOR_JOIN = "FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id";

const visitorDays = (days: number) => ({
  name: `rollup_visitor_days (${days} d)`,
  stored: `SELECT website_id, bucket, visitor_num, js_errors, net_errors, error_clicks, rage_clicks, custom_events
           FROM rollup_visitor_days WHERE days = ${days}`,
  recomputed: `SELECT e.website_id, date_bin(make_interval(days => ${days}), e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num AS visitor_num,
                 count(*) FILTER (WHERE kind = 'JSError')::int AS js_errors, count(*) FILTER (WHERE kind = 'NetError')::int AS net_errors,
                 count(*) FILTER (WHERE kind = 'ErrorClick')::int AS error_clicks, count(*) FILTER (WHERE kind = 'RageClick')::int AS rage_clicks,
                 count(*) FILTER (WHERE kind = 'Custom')::int AS custom_events
               ${VISITOR_JOIN}
               WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom') GROUP BY 1, 2, 3`,
});

export const ROLLUP_CHECKS = [
  {
    name: "rollup_kind_15m",
    stored: "SELECT website_id, bucket, kind, events FROM rollup_kind_15m",
    recomputed: `SELECT website_id, date_bin('15 minutes', occurred_at, 'epoch'::timestamptz) AS bucket, kind, count(*)::int AS events
                 FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_country_1h",
    stored: "SELECT website_id, bucket, kind, country_code, events FROM rollup_country_1h",
    recomputed: `SELECT website_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, kind,
                   coalesce(country_code, '') AS country_code, count(*)::int AS events
                 FROM events GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "rollup_issue_1h",
    stored: "SELECT issue_id, bucket, website_id, events FROM rollup_issue_1h",
    recomputed: `SELECT issue_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
                 FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_issue_1d",
    stored: "SELECT issue_id, bucket, website_id, events FROM rollup_issue_1d",
    recomputed: `SELECT issue_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
                 FROM events GROUP BY 1, 2, 3`,
  },
  {
    name: "issues (events, visitors, first and last seen)",
    stored: "SELECT id, event_count, visitor_count, first_seen, last_seen FROM issues",
    recomputed: `SELECT issue_id AS id, count(*)::int AS event_count, count(DISTINCT visitor_id)::int AS visitor_count,
                   min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
                 FROM events GROUP BY issue_id`,
  },
  {
    name: "rollup_visitor_bits_1h",
    stored: "SELECT website_id, bucket, chunk, bits::text AS bits FROM rollup_visitor_bits_1h",
    recomputed: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num / 4096 AS chunk, ${BITS} AS bits
                 ${VISITOR_JOIN} WHERE ${AFFECTING} GROUP BY 1, 2, 3`,
  },
  {
    name: "rollup_visitor_kind_bits_1h",
    stored: "SELECT website_id, bucket, kind, chunk, bits::text AS bits FROM rollup_visitor_kind_bits_1h",
    recomputed: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, e.kind, v.num / 4096 AS chunk, ${BITS} AS bits
                 ${VISITOR_JOIN} WHERE ${AFFECTING} GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "rollup_country_bits_1h",
    stored: "SELECT website_id, bucket, country_code, chunk, bits::text AS bits FROM rollup_country_bits_1h",
    recomputed: `SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, coalesce(e.country_code, '') AS country_code,
                   v.num / 4096 AS chunk, ${BITS} AS bits
                 ${VISITOR_JOIN} WHERE ${AFFECTING} GROUP BY 1, 2, 3, 4`,
  },
  {
    name: "issue_visitor_bits",
    stored: "SELECT issue_id, chunk, bits::text AS bits FROM issue_visitor_bits",
    recomputed: `SELECT e.issue_id, v.num / 4096 AS chunk, ${BITS} AS bits ${VISITOR_JOIN} GROUP BY 1, 2`,
  },
  {
    name: "rollup_visitor_1d",
    stored: "SELECT website_id, bucket, visitor_id, kind, events FROM rollup_visitor_1d",
    recomputed: `SELECT website_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, visitor_id, kind, count(*)::int AS events
                 FROM events GROUP BY 1, 2, 3, 4`,
  },
  visitorDays(1),
  visitorDays(7),
  {
    name: "visitors (events, first and last seen)",
    stored: "SELECT website_id, id, event_count, first_seen, last_seen FROM visitors",
    recomputed: `SELECT website_id, visitor_id AS id, count(*)::int AS event_count, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
                 FROM events GROUP BY 1, 2`,
  },
] as const;

export type RollupName = (typeof ROLLUP_CHECKS)[number]["name"];

/** Rows of a query as sorted JSON, so a mismatch shows which group differs. */
async function sortedRows(database: ScratchDatabase, sql: string): Promise<string[]> {
  const { rows } = await database.query(sql);
  return rows.map((r) => JSON.stringify(r)).sort();
}

/**
 * Asserts that every rollup and counter equals its recomputation from the events, and that the
 * visitor bits count visitors (distinct numbers; one bit per affected visitor and per issue's
 * visitor). Returns how many rows each check compared.
 */
export async function expectRollupsMatchEvents(database: ScratchDatabase): Promise<Record<RollupName, number>> {
  const compared = {} as Record<RollupName, number>;
  for (const check of ROLLUP_CHECKS) {
    const stored = await sortedRows(database, check.stored);
    expect(stored, check.name).toEqual(await sortedRows(database, check.recomputed));
    compared[check.name] = stored.length;
  }
  const { rows: counts } = await database.query(
    `SELECT (SELECT count(DISTINCT num)::int FROM visitors) AS nums, (SELECT count(*)::int FROM visitors) AS visitors,
       (SELECT coalesce(sum(bit_count(b)), 0)::int FROM (SELECT bit_or(bits) AS b FROM rollup_visitor_bits_1h GROUP BY website_id, chunk) x) AS bits,
       (SELECT count(*)::int FROM (SELECT DISTINCT website_id, visitor_id FROM events
          WHERE kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')) x) AS affected`,
  );
  expect(counts[0].nums, "visitor numbers are distinct").toBe(counts[0].visitors);
  expect(counts[0].bits, "one presence bit per affected visitor").toBe(counts[0].affected);
  const { rows: mismatches } = await database.query(
    `SELECT i.id FROM issues i
     LEFT JOIN (SELECT issue_id, sum(bit_count(bits))::int AS n FROM issue_visitor_bits GROUP BY 1) b ON b.issue_id = i.id
     WHERE coalesce(b.n, 0) <> i.visitor_count`,
  );
  expect(mismatches, "issue bits count the issue's visitors").toEqual([]);
  return compared;
}
