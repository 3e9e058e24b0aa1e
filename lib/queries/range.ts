// Which table a stats query reads for a range, and the bounds it really covers.
//
// Rollup tables hold whole buckets (15 minutes, 1 hour or 1 UTC day, aligned to the Unix
// epoch like ingest's date_bin), so a range read from them is widened to whole buckets: the
// start rounded down, the end rounded up. Short ranges are counted from raw events instead,
// with their exact bounds, where the index on events(website_id, occurred_at) keeps them cheap.
import { rangeOf } from "./get-timeseries";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Ranges up to this long are counted from raw events (a few hundred thousand rows at most). */
export const RAW_MAX_MS = 6 * HOUR;
export const MAX_RANGE_DAYS = 90;

/** Rollup granularities, in minutes. */
export const KIND_ROLLUP_MINUTES = 15;
export const HOURLY_ROLLUP_MINUTES = 60;
export const DAILY_ROLLUP_MINUTES = 1440;

/**
 * Visitors per row of rollup_visitor_bits_1h: visitor number n is bit n % this of chunk
 * n / this (the column is bit(4096), so this must match the migration).
 */
export const PRESENCE_CHUNK_BITS = 4096;

/** Kinds that count as something going wrong for a visitor (Custom events do not). */
export const ERROR_LIKE_KINDS = ["JSError", "NetError", "ErrorClick", "RageClick"] as const;

export type Range = { from: Date; to: Date };
/** `granularity` is null for raw events (exact bounds), else the rollup's bucket in minutes. */
export type Plan = Range & { granularity: number | null };

/** A zod refinement for a schema with from/to: the range must not exceed MAX_RANGE_DAYS. */
export const rangeLimit: [(q: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (q) => {
    const { from, to } = rangeOf(q);
    return to.getTime() - from.getTime() <= MAX_RANGE_DAYS * DAY;
  },
  { message: `Ranges are limited to ${MAX_RANGE_DAYS} days`, path: ["from"] },
];

/** [from, to) widened to whole `minutes` buckets aligned to the epoch (at least one bucket). */
export function alignRange({ from, to }: Range, minutes: number): Range {
  const step = minutes * MINUTE;
  const start = Math.floor(from.getTime() / step) * step;
  let end = Math.ceil(to.getTime() / step) * step;
  if (end <= start) end = start + step;
  return { from: new Date(start), to: new Date(end) };
}

/** The period of the same length just before `range`. */
export function previousRange({ from, to }: Range): Range {
  return { from: new Date(2 * from.getTime() - to.getTime()), to: from };
}

export function isShort({ from, to }: Range): boolean {
  return to.getTime() - from.getTime() <= RAW_MAX_MS;
}

/**
 * Raw events with exact bounds when the range is short (or `forceRaw`, e.g. one visitor's
 * events through their index), otherwise the rollup of `minutes` with widened bounds.
 */
export function planRange(range: Range, minutes: number, forceRaw = false): Plan {
  if (forceRaw || isShort(range)) return { ...range, granularity: null };
  return { ...alignRange(range, minutes), granularity: minutes };
}

/**
 * An hour-aligned range split for the daily and hourly rollups: the whole UTC days inside it
 * (`days`, possibly empty) and the hours before and after them (`hours`, two ranges).
 */
export function splitDays({ from, to }: Range): { days: Range; hours: [Range, Range] } {
  const dayStart = Math.ceil(from.getTime() / DAY) * DAY;
  const dayEnd = Math.floor(to.getTime() / DAY) * DAY;
  if (dayStart >= dayEnd) return { days: { from: to, to }, hours: [{ from, to }, { from: to, to }] };
  return {
    days: { from: new Date(dayStart), to: new Date(dayEnd) },
    hours: [
      { from, to: new Date(dayStart) },
      { from: new Date(dayEnd), to },
    ],
  };
}
