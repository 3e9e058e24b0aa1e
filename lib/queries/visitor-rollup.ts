// Events per visitor over a range of whole UTC days, from rollup_visitor_days: whole
// epoch-aligned weeks from its 7-day rows, the days around them from its 1-day rows, so a
// 30-day range reads at most ~13 rows per visitor instead of ~31 (and one per visitor and
// span, not one per kind as rollup_visitor_1d does).
import { Prisma } from "../generated/prisma/client";
import { DAY, type Range } from "./range";

/** The kinds the rollup has a column for, and the columns. */
export const VISITOR_KIND_COLUMNS = {
  JSError: "js_errors",
  NetError: "net_errors",
  ErrorClick: "error_clicks",
  RageClick: "rage_clicks",
  Custom: "custom_events",
} as const;
export type VisitorKind = keyof typeof VISITOR_KIND_COLUMNS;
export const VISITOR_KINDS = Object.keys(VISITOR_KIND_COLUMNS) as VisitorKind[];

export function isVisitorKind(kind: string): kind is VisitorKind {
  return Object.hasOwn(VISITOR_KIND_COLUMNS, kind);
}

const WEEK = 7 * DAY;

/** A day-aligned range split into whole epoch-aligned weeks (possibly none) and the days before and after. */
export function splitWeeks({ from, to }: Range): { weeks: Range; days: [Range, Range] } {
  const weekStart = Math.ceil(from.getTime() / WEEK) * WEEK;
  const weekEnd = Math.floor(to.getTime() / WEEK) * WEEK;
  if (weekStart >= weekEnd) return { weeks: { from: to, to }, days: [{ from, to }, { from: to, to }] };
  return {
    weeks: { from: new Date(weekStart), to: new Date(weekEnd) },
    days: [
      { from, to: new Date(weekStart) },
      { from: new Date(weekEnd), to },
    ],
  };
}

/**
 * One row per visitor with events in `range` (whole UTC days): visitor_num and a sum per
 * kind column (js_errors, net_errors, error_clicks, rage_clicks, custom_events).
 */
export function visitorDaysSql(websiteId: string, range: Range): Prisma.Sql {
  const { weeks, days } = splitWeeks(range);
  return Prisma.sql`
    SELECT visitor_num, sum(js_errors)::int AS js_errors, sum(net_errors)::int AS net_errors,
      sum(error_clicks)::int AS error_clicks, sum(rage_clicks)::int AS rage_clicks, sum(custom_events)::int AS custom_events
    FROM rollup_visitor_days
    WHERE website_id = ${websiteId}
      AND ((days = 7 AND bucket >= ${weeks.from} AND bucket < ${weeks.to})
        OR (days = 1 AND bucket >= ${days[0].from} AND bucket < ${days[0].to})
        OR (days = 1 AND bucket >= ${days[1].from} AND bucket < ${days[1].to}))
    GROUP BY visitor_num`;
}

/** `js_errors * $1 + ...`: the events of the given kinds, as a sum of weighted columns (weights bound as values). */
export function kindSum(kinds: readonly string[], alias = ""): Prisma.Sql {
  const terms = VISITOR_KINDS.map((kind) => Prisma.sql`${Prisma.raw(`${alias}${VISITOR_KIND_COLUMNS[kind]}`)} * ${kinds.includes(kind) ? 1 : 0}::int`);
  return Prisma.sql`(${Prisma.join(terms, " + ")})`;
}
