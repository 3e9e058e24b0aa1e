// Time buckets for trend charts: the size is chosen from the range, buckets line up with the
// viewer's local midnight, and empty buckets are filled with zeros.

const MINUTE = 60_000;

/** Bucket sizes in minutes. Below 15 the counts come from raw events, from 15 up from rollups. */
export const BUCKET_MINUTES = [1, 5, 15, 30, 60, 180, 360, 720] as const;
export type BucketMinutes = (typeof BUCKET_MINUTES)[number];

export const MAX_POINTS = 200;
/** The smallest bucket the rollup table holds. */
export const ROLLUP_MINUTES = 15;

/** The smallest bucket that keeps the chart to at most MAX_POINTS points. */
export function chooseBucket(from: Date, to: Date): BucketMinutes {
  const minutes = (to.getTime() - from.getTime()) / MINUTE;
  return BUCKET_MINUTES.find((size) => minutes / size <= MAX_POINTS) ?? BUCKET_MINUTES[BUCKET_MINUTES.length - 1]!;
}

/** Minutes to add to UTC to get the wall-clock time in `timeZone` at `at`. */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((wall - Math.floor(at.getTime() / MINUTE) * MINUTE) / MINUTE);
}

/**
 * The instant the bucket containing `from` starts: buckets are laid from the local midnight
 * of `from` in `timeZone`, every `size` minutes (a fixed grid for the whole range).
 */
export function firstBucketStart(from: Date, size: BucketMinutes, timeZone: string): Date {
  const offset = zoneOffsetMinutes(from, timeZone);
  const localMinutes = Math.floor(from.getTime() / MINUTE) + offset;
  const localMidnight = Math.floor(localMinutes / 1440) * 1440;
  const start = localMidnight + Math.floor((localMinutes - localMidnight) / size) * size;
  return new Date((start - offset) * MINUTE);
}

/** Every bucket start from the one containing `from` up to `to` (exclusive; at least one). */
export function bucketStarts(from: Date, to: Date, size: BucketMinutes, timeZone: string): Date[] {
  const starts: Date[] = [];
  const first = firstBucketStart(from, size, timeZone).getTime();
  for (let t = first; t < to.getTime() || t === first; t += size * MINUTE) {
    starts.push(new Date(t));
  }
  return starts;
}

export type CountRow = { bucket: Date; series: string; events: number };
export type Point = { t: string; values: Record<string, number> };

/** One point per bucket start, with every series present (0 where nothing happened). */
export function fillBuckets(starts: Date[], series: readonly string[], rows: CountRow[]): Point[] {
  const byBucket = new Map<number, Record<string, number>>();
  for (const start of starts) byBucket.set(start.getTime(), Object.fromEntries(series.map((name) => [name, 0])));
  for (const row of rows) {
    const values = byBucket.get(row.bucket.getTime());
    if (values && row.series in values) values[row.series] = (values[row.series] ?? 0) + row.events;
  }
  return starts.map((start) => ({ t: start.toISOString(), values: byBucket.get(start.getTime())! }));
}
