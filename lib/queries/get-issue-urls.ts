import { z } from "zod";
import { db } from "../db/client";
import { rangeOf } from "./get-timeseries";
import { issueRangeQuery } from "./get-issue";

export const issueUrlsQuery = z.intersection(issueRangeQuery, z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }));
export type IssueUrlsQuery = z.infer<typeof issueUrlsQuery>;

export const URL_SAMPLE_EVENTS = 20_000;

/**
 * The URLs one issue's events in the range happened at (exact bounds, from raw events through
 * the issue index): the top `limit` by events with their distinct visitors, the rest summed as
 * `other`, and events without a URL as `unknown`. An event's URL is a NetError's request URL,
 * or for other kinds the page URL when the raw delivery carries one (`payload.url`):
 * LiveSession's documented JSError, ErrorClick and RageClick payloads have none, so their
 * events count as `unknown`. Past URL_SAMPLE_EVENTS events in the range, only the latest
 * that many are counted and `sampled` is true.
 */
export async function getIssueUrls(issueId: string, q: IssueUrlsQuery) {
  const { from, to } = rangeOf(q);
  const rows = await db().$queryRaw<{ url: string | null; events: number; visitors: number; rank: number | null }[]>`
    WITH latest AS (
      -- id, url and visitor_id are in the (issue_id, occurred_at) index: no heap page per event.
      SELECT id, url, visitor_id FROM events
      WHERE issue_id = ${issueId}::bigint AND website_id = ${q.websiteId} AND occurred_at >= ${from} AND occurred_at < ${to}
      ORDER BY occurred_at DESC LIMIT ${URL_SAMPLE_EVENTS + 1}
    ), src AS (
      -- The raw delivery is read only for events without a request URL.
      SELECT coalesce(l.url, (SELECT e.raw #>> '{payload,url}' FROM events e WHERE e.id = l.id)) AS url, l.visitor_id
      FROM (SELECT * FROM latest LIMIT ${URL_SAMPLE_EVENTS}) l
    ), per_url AS (
      SELECT url, count(*)::int AS events, count(DISTINCT visitor_id)::int AS visitors FROM src WHERE url IS NOT NULL GROUP BY url
    ), ranked AS (
      SELECT url, events, visitors, row_number() OVER (ORDER BY events DESC, visitors DESC, url COLLATE "C")::int AS rank FROM per_url
    )
    SELECT url, events, visitors, rank FROM ranked WHERE rank <= ${q.limit}
    UNION ALL
    SELECT NULL, coalesce(sum(events), 0)::int, 0, NULL FROM ranked WHERE rank > ${q.limit}
    UNION ALL
    SELECT NULL, count(*)::int, count(DISTINCT visitor_id)::int, -1 FROM src WHERE url IS NULL
    UNION ALL
    SELECT NULL, count(*)::int, 0, -2 FROM latest`;
  const top = rows.filter((r) => r.rank !== null && r.rank > 0).sort((a, b) => a.rank! - b.rank!);
  const other = rows.find((r) => r.rank === null)?.events ?? 0;
  const unknown = rows.find((r) => r.rank === -1) ?? { events: 0, visitors: 0 };
  const sampled = (rows.find((r) => r.rank === -2)?.events ?? 0) > URL_SAMPLE_EVENTS;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: top.reduce((sum, r) => sum + r.events, 0) + other + unknown.events,
    rows: top.map((r) => ({ url: r.url!, events: r.events, visitors: r.visitors })),
    other: { events: other },
    unknown: { events: unknown.events, visitors: unknown.visitors },
    sampled,
  };
}
