// Pure updates of a page's data with live events (a plain module: tested without a browser).
import type { LiveEvent } from "@/lib/realtime/live-event";

export type TrendPoint = { t: string; values: Record<string, number> };
export type Trend = { points: TrendPoint[]; series: string[]; bucketMinutes: number };

/** Events inside [from, until) (until null: the range runs up to now and moves with it). */
export function inRange(event: LiveEvent, from: string, until: string | null): boolean {
  return event.occurredAt >= from && (until === null || event.occurredAt < until);
}

/** Adds events to counts per kind (every figure that is a kind). */
export function addToCounts<T extends Record<string, number>>(counts: T, events: LiveEvent[]): T {
  const next: Record<string, number> = { ...counts };
  for (const e of events) if (e.kind in next) next[e.kind] = (next[e.kind] ?? 0) + 1;
  return next as T;
}

/**
 * Adds events to the bucket they fall in. An event after the last bucket opens new buckets
 * (empty ones in between), and for a moving range as many old buckets leave at the front,
 * so the chart keeps its width. Events before the first bucket are left out.
 */
export function addToTrend(trend: Trend, events: LiveEvent[], moving: boolean): Trend {
  if (trend.points.length === 0 || events.length === 0) return trend;
  const size = trend.bucketMinutes * 60_000;
  let points = trend.points.slice();
  const series = trend.series.slice();
  const changed = new Set<number>();
  for (const e of events) {
    const at = Date.parse(e.occurredAt);
    if (at < Date.parse(points[0]!.t)) continue;
    let lastStart = Date.parse(points.at(-1)!.t);
    // Bounded: a far-future time must not make thousands of buckets.
    let added = 0;
    while (at >= lastStart + size && added < 1000) {
      lastStart += size;
      points.push({ t: new Date(lastStart).toISOString(), values: Object.fromEntries(series.map((s) => [s, 0])) });
      added++;
    }
    if (at >= lastStart + size) continue;
    if (added > 0 && moving) {
      points = points.slice(Math.min(added, points.length - 1));
      changed.clear();
    }
    // The last bucket whose start is at or before the event (buckets may differ in length
    // across a daylight-saving change, so search rather than divide).
    let index = points.length - 1;
    while (index > 0 && Date.parse(points[index]!.t) > at) index--;
    if (!series.includes(e.kind)) {
      series.push(e.kind);
      points = points.map((p) => ({ ...p, values: { ...p.values, [e.kind]: 0 } }));
    }
    if (!changed.has(index)) {
      points[index] = { ...points[index]!, values: { ...points[index]!.values } };
      changed.add(index);
    }
    points[index]!.values[e.kind] = (points[index]!.values[e.kind] ?? 0) + 1;
  }
  return { ...trend, points, series };
}

/** New events into a newest-first feed of at most `limit`, without repeating one. */
export function mergeFeed<T extends { messageId: string; occurredAt: string | Date }>(feed: T[], events: T[], limit: number): T[] {
  const seen = new Set(feed.map((e) => e.messageId));
  const fresh = events.filter((e) => !seen.has(e.messageId) && (seen.add(e.messageId), true));
  if (fresh.length === 0) return feed;
  const time = (e: T) => new Date(e.occurredAt).getTime();
  // A stable sort: among equal times, the newer arrival stays first.
  return [...fresh.reverse(), ...feed].sort((x, y) => time(y) - time(x)).slice(0, limit);
}
