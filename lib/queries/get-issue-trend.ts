import { db } from "../db/client";
import { bucketStarts, chooseBucket, fillBuckets, type CountRow } from "./buckets";
import { rangeOf } from "./get-timeseries";
import type { IssueRangeQuery } from "./get-issue";
import { HOURLY_ROLLUP_MINUTES } from "./range";

const MINUTE = 60_000;

/**
 * One issue's events per bucket over the range (bucket size and alignment as
 * /api/stats/timeseries chooses them). Buckets of whole hours that start on a UTC hour are
 * summed from rollup_issue_1h; anything finer, or a zone with a half-hour offset, is counted
 * from the issue's raw events (through the events(issue_id, occurred_at) index).
 */
export async function getIssueTrend(issueId: string, q: IssueRangeQuery) {
  const { from, to } = rangeOf(q);
  const size = chooseBucket(from, to);
  const starts = bucketStarts(from, to, size, q.tz);
  const start = starts[0]!;
  const end = new Date(starts.at(-1)!.getTime() + size * MINUTE);
  const fromRollup = size % HOURLY_ROLLUP_MINUTES === 0 && starts.every((s) => s.getTime() % (HOURLY_ROLLUP_MINUTES * MINUTE) === 0);
  const rows = fromRollup
    ? await db().$queryRaw<CountRow[]>`
        SELECT date_bin(make_interval(mins => ${size}::int), bucket, ${start}::timestamptz) AS bucket,
          'events' AS series, sum(events)::int AS events
        FROM rollup_issue_1h
        WHERE issue_id = ${issueId}::bigint AND website_id = ${q.websiteId} AND bucket >= ${start} AND bucket < ${end}
        GROUP BY 1`
    : await db().$queryRaw<CountRow[]>`
        SELECT date_bin(make_interval(mins => ${size}::int), occurred_at, ${start}::timestamptz) AS bucket,
          'events' AS series, count(*)::int AS events
        FROM events
        WHERE issue_id = ${issueId}::bigint AND website_id = ${q.websiteId} AND occurred_at >= ${start} AND occurred_at < ${end}
        GROUP BY 1`;
  const points = fillBuckets(starts, ["events"], rows).map((p) => ({ t: p.t, events: p.values.events ?? 0 }));
  return {
    bucketMinutes: size,
    from: start.toISOString(),
    to: end.toISOString(),
    timeZone: q.tz,
    total: points.reduce((sum, p) => sum + p.events, 0),
    points,
  };
}
