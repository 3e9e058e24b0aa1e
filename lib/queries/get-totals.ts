import { z } from "zod";
import { dateRange } from "../api/params";
import { db } from "../db/client";
import { KNOWN_KINDS } from "../livesession/schema";
import { rangeOf } from "./get-timeseries";
import {
  DAILY_ROLLUP_MINUTES,
  DAY,
  ERROR_LIKE_KINDS,
  KIND_ROLLUP_MINUTES,
  planRange,
  previousRange,
  rangeLimit,
  type Plan,
  type Range,
} from "./range";

export const totalsQuery = z
  .intersection(z.object({ websiteId: z.string().min(1).max(255) }), dateRange)
  .refine(...rangeLimit);
export type TotalsQuery = z.infer<typeof totalsQuery>;

/** Ranges this long or longer count affected visitors from the daily visitor rollup. */
export const VISITOR_ROLLUP_MIN_MS = 2 * DAY;

type Figures = Record<(typeof KNOWN_KINDS)[number] | "affectedVisitors", number>;

async function kindCounts(websiteId: string, plan: Plan): Promise<Record<string, number>> {
  const rows =
    plan.granularity === null
      ? await db().$queryRaw<{ kind: string; events: number }[]>`
          SELECT kind, count(*)::int AS events FROM events
          WHERE website_id = ${websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
          GROUP BY kind`
      : await db().$queryRaw<{ kind: string; events: number }[]>`
          SELECT kind, sum(events)::int AS events FROM rollup_kind_15m
          WHERE website_id = ${websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}
          GROUP BY kind`;
  return Object.fromEntries(rows.map((r) => [r.kind, r.events]));
}

async function affectedVisitors(websiteId: string, plan: Plan): Promise<number> {
  const kinds = [...ERROR_LIKE_KINDS];
  const [row] =
    plan.granularity === DAILY_ROLLUP_MINUTES
      ? await db().$queryRaw<{ n: number }[]>`
          -- DISTINCT in a subquery hashes; count(DISTINCT ...) would sort every row.
          SELECT count(*)::int AS n FROM (SELECT DISTINCT visitor_id FROM rollup_visitor_1d
          WHERE website_id = ${websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}
            AND kind = ANY(${kinds}::text[])) v`
      : await db().$queryRaw<{ n: number }[]>`
          -- DISTINCT in a subquery hashes; count(DISTINCT ...) would sort every row.
          SELECT count(*)::int AS n FROM (SELECT DISTINCT visitor_id FROM events
          WHERE website_id = ${websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
            AND kind = ANY(${kinds}::text[])) v`;
  return row?.n ?? 0;
}

/**
 * Event counts: raw events with the exact bounds for ranges up to 6 hours, otherwise
 * rollup_kind_15m with the range widened to whole 15-minute buckets (as the timeseries does).
 * Affected visitors: rollup_visitor_1d for ranges of 2 days or more (widened to whole UTC
 * days), otherwise distinct visitors in raw events over the same bounds as the counts.
 */
async function figures(websiteId: string, counts: Plan, visitors: Plan): Promise<Figures> {
  const [byKind, affected] = await Promise.all([kindCounts(websiteId, counts), affectedVisitors(websiteId, visitors)]);
  const result = Object.fromEntries(KNOWN_KINDS.map((kind) => [kind, byKind[kind] ?? 0])) as Figures;
  result.affectedVisitors = affected;
  return result;
}

function visitorPlan(range: Range, counts: Plan): Plan {
  return range.to.getTime() - range.from.getTime() >= VISITOR_ROLLUP_MIN_MS ? planRange(range, DAILY_ROLLUP_MINUTES) : counts;
}

/**
 * Totals per kind and affected visitors for a range and for the period of the same length
 * just before it. The previous period is taken before the (widened) current one, so the two
 * never overlap; `from`/`to`/`previousFrom`/`previousTo` are the bounds of the event counts.
 */
export async function getTotals(q: TotalsQuery) {
  const requested = rangeOf(q);
  const current = planRange(requested, KIND_ROLLUP_MINUTES);
  const previous: Plan = { ...previousRange(current), granularity: current.granularity };
  const currentVisitors = visitorPlan(requested, current);
  // Whole days before the current whole days (same length), or the counts' previous bounds.
  const previousVisitors: Plan =
    currentVisitors === current ? previous : { ...previousRange(currentVisitors), granularity: DAILY_ROLLUP_MINUTES };
  const [now, before] = await Promise.all([
    figures(q.websiteId, current, currentVisitors),
    figures(q.websiteId, previous, previousVisitors),
  ]);
  return {
    from: current.from.toISOString(),
    to: current.to.toISOString(),
    previousFrom: previous.from.toISOString(),
    previousTo: previous.to.toISOString(),
    current: now,
    previous: before,
  };
}
