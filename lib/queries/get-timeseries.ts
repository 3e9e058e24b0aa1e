import { z } from "zod";
import { dateRange, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { KNOWN_KINDS } from "../livesession/schema";
import { bucketStarts, chooseBucket, fillBuckets, ROLLUP_MINUTES, type CountRow } from "./buckets";
import { eventConditions, holds } from "./filters";

const MAX_RANGE_DAYS = 90;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const timeseriesQuery = z
  .intersection(statsFilters, dateRange)
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
 * Events per bucket and kind for a website. Buckets of 15 minutes and more are summed from a
 * rollup, smaller ones (ranges up to ~16 hours) counted from events; the range is widened to
 * whole buckets. Filters: `kind` alone reads rollup_kind_15m; with `country` (and `kind`)
 * rollup_country_1h, with `issueId` (and `kind`) rollup_issue_1h, when the buckets are whole
 * UTC hours (an hour or more, in a zone whole hours from UTC); any other filter or
 * combination (visitor, url, prop, country with issue, hourly filters on 15/30-minute
 * buckets) counts raw events over the same widened bounds.
 */
export async function getTimeseries(q: TimeseriesQuery) {
  const { from, to } = rangeOf(q);
  const size = chooseBucket(from, to);
  const starts = bucketStarts(from, to, size, q.tz);
  const start = starts[0]!;
  const end = new Date(starts.at(-1)!.getTime() + size * 60_000);
  const kinds = q.kind ?? null;
  const hourly = size >= 60 && start.getTime() % HOUR === 0;
  const bin = (column: ReturnType<typeof Prisma.raw>) => Prisma.sql`date_bin(make_interval(mins => ${size}::int), ${column}, ${start}::timestamptz)`;
  const kindIn = (column: string) => (kinds ? Prisma.sql`AND ${Prisma.raw(column)} = ANY(${kinds}::text[])` : Prisma.empty);
  let rows: CountRow[];
  if (size >= ROLLUP_MINUTES && holds(q, ["kind"])) {
    rows = await db().$queryRaw<CountRow[]>`
      SELECT ${bin(Prisma.raw("bucket"))} AS bucket, kind AS series, sum(events)::int AS events
      FROM rollup_kind_15m
      WHERE website_id = ${q.websiteId} AND bucket >= ${start} AND bucket < ${end} ${kindIn("kind")}
      GROUP BY 1, 2`;
  } else if (hourly && holds(q, ["kind", "country"])) {
    rows = await db().$queryRaw<CountRow[]>`
      SELECT ${bin(Prisma.raw("bucket"))} AS bucket, kind AS series, sum(events)::int AS events
      FROM rollup_country_1h
      WHERE website_id = ${q.websiteId} AND bucket >= ${start} AND bucket < ${end} AND country_code = ${q.country!} ${kindIn("kind")}
      GROUP BY 1, 2`;
  } else if (hourly && holds(q, ["kind", "issueId"])) {
    rows = await db().$queryRaw<CountRow[]>`
      SELECT ${bin(Prisma.raw("r.bucket"))} AS bucket, i.kind AS series, sum(r.events)::int AS events
      FROM rollup_issue_1h r JOIN issues i ON i.id = r.issue_id
      WHERE r.issue_id = ${q.issueId!}::bigint AND r.website_id = ${q.websiteId} AND r.bucket >= ${start} AND r.bucket < ${end} ${kindIn("i.kind")}
      GROUP BY 1, 2`;
  } else {
    rows = await db().$queryRaw<CountRow[]>`
      SELECT ${bin(Prisma.raw("occurred_at"))} AS bucket, kind AS series, count(*)::int AS events
      FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${start} AND occurred_at < ${end} ${eventConditions(q)}
      GROUP BY 1, 2`;
  }
  const seen = new Set(rows.map((r) => r.series));
  const series = kinds ? kinds : [...KNOWN_KINDS, ...[...seen].filter((s) => !(KNOWN_KINDS as readonly string[]).includes(s)).sort()];
  return {
    bucketMinutes: size,
    from: start.toISOString(),
    to: end.toISOString(),
    timeZone: q.tz,
    series,
    points: fillBuckets(starts, series, rows),
  };
}
