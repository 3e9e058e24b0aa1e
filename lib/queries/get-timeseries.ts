import { z } from "zod";
import { dateRange, timeZone } from "../api/params";
import { db } from "../db/client";
import { KNOWN_KINDS } from "../livesession/schema";
import { bucketStarts, chooseBucket, fillBuckets, ROLLUP_MINUTES, type CountRow } from "./buckets";

const MAX_RANGE_DAYS = 90;
const DAY = 86_400_000;

export const timeseriesQuery = z
  .intersection(
    z.object({ websiteId: z.string().min(1).max(255), kind: z.string().min(1).max(100).optional(), tz: timeZone }),
    dateRange,
  )
  .refine((q) => rangeOf(q).to.getTime() - rangeOf(q).from.getTime() <= MAX_RANGE_DAYS * DAY, {
    message: `Ranges are limited to ${MAX_RANGE_DAYS} days`,
    path: ["from"],
  });
export type TimeseriesQuery = z.infer<typeof timeseriesQuery>;

/** The range asked for; the last 24 hours by default. */
export function rangeOf(q: { from?: string; to?: string }): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY);
  return { from, to };
}

/**
 * Events per bucket and kind for a website. Buckets of 15 minutes and more are summed from
 * the rollup table; smaller ones (ranges up to ~16 hours) are counted from events. The range
 * is widened to whole buckets.
 */
export async function getTimeseries(q: TimeseriesQuery) {
  const { from, to } = rangeOf(q);
  const size = chooseBucket(from, to);
  const starts = bucketStarts(from, to, size, q.tz);
  const start = starts[0]!;
  const end = new Date(starts.at(-1)!.getTime() + size * 60_000);
  const kind = q.kind ?? null;
  const rows =
    size < ROLLUP_MINUTES
      ? await db().$queryRaw<CountRow[]>`
          SELECT date_bin(make_interval(mins => ${size}::int), occurred_at, ${start}::timestamptz) AS bucket,
            kind AS series, count(*)::int AS events
          FROM events
          WHERE website_id = ${q.websiteId} AND occurred_at >= ${start} AND occurred_at < ${end}
            AND (${kind}::text IS NULL OR kind = ${kind})
          GROUP BY 1, 2`
      : await db().$queryRaw<CountRow[]>`
          SELECT date_bin(make_interval(mins => ${size}::int), bucket, ${start}::timestamptz) AS bucket,
            kind AS series, sum(events)::int AS events
          FROM rollup_kind_15m
          WHERE website_id = ${q.websiteId} AND bucket >= ${start} AND bucket < ${end}
            AND (${kind}::text IS NULL OR kind = ${kind})
          GROUP BY 1, 2`;
  const seen = new Set(rows.map((r) => r.series));
  const series = kind ? [kind] : [...KNOWN_KINDS, ...[...seen].filter((s) => !(KNOWN_KINDS as readonly string[]).includes(s)).sort()];
  return {
    bucketMinutes: size,
    from: start.toISOString(),
    to: end.toISOString(),
    timeZone: q.tz,
    series,
    points: fillBuckets(starts, series, rows),
  };
}
