import { z } from "zod";
import { dateRange, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { KNOWN_KINDS } from "../livesession/schema";
import { eventConditions, holds } from "./filters";
import { rangeOf } from "./get-timeseries";
import { ERROR_LIKE_KINDS, HOURLY_ROLLUP_MINUTES, KIND_ROLLUP_MINUTES, planRange, previousRange, rangeLimit, type Plan } from "./range";

export const totalsQuery = z.intersection(statsFilters, dateRange).refine(...rangeLimit);
export type TotalsQuery = z.infer<typeof totalsQuery>;

type Figures = Record<(typeof KNOWN_KINDS)[number] | "affectedVisitors", number>;

/**
 * Where the event counts come from: raw events with the exact bounds for ranges up to 6 hours;
 * otherwise rollup_kind_15m (whole 15 minutes) when only `kind` is set, rollup_country_1h or
 * rollup_issue_1h (whole hours) when `country` or `issueId` is set (with `kind` at most), and
 * raw events with the exact bounds for any other filter or combination (`visitorId`, `url`,
 * `prop`, `country` with `issueId`).
 */
export function countsPlan(q: TotalsQuery): Plan & { table: "events" | "kind" | "country" | "issue" } {
  const range = rangeOf(q);
  if (holds(q, ["kind"])) {
    const plan = planRange(range, KIND_ROLLUP_MINUTES);
    return { ...plan, table: plan.granularity === null ? "events" : "kind" };
  }
  const table = holds(q, ["kind", "country"]) ? "country" : holds(q, ["kind", "issueId"]) ? "issue" : null;
  const plan = planRange(range, HOURLY_ROLLUP_MINUTES, table === null);
  return { ...plan, table: plan.granularity === null ? "events" : table! };
}

async function kindCounts(q: TotalsQuery, plan: ReturnType<typeof countsPlan>): Promise<Record<string, number>> {
  const kinds = q.kind ?? null;
  const kindIn = (column: string) => (kinds ? Prisma.sql`AND ${Prisma.raw(column)} = ANY(${kinds}::text[])` : Prisma.empty);
  let rows: { kind: string; events: number }[];
  switch (plan.table) {
    case "events":
      rows = await db().$queryRaw`
        SELECT kind, count(*)::int AS events FROM events
        WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to} ${eventConditions(q)}
        GROUP BY kind`;
      break;
    case "kind":
      rows = await db().$queryRaw`
        SELECT kind, sum(events)::int AS events FROM rollup_kind_15m
        WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to} ${kindIn("kind")}
        GROUP BY kind`;
      break;
    case "country":
      rows = await db().$queryRaw`
        SELECT kind, sum(events)::int AS events FROM rollup_country_1h
        WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to} AND country_code = ${q.country!} ${kindIn("kind")}
        GROUP BY kind`;
      break;
    case "issue":
      rows = await db().$queryRaw`
        SELECT i.kind, sum(r.events)::int AS events FROM rollup_issue_1h r JOIN issues i ON i.id = r.issue_id
        WHERE r.issue_id = ${q.issueId!}::bigint AND r.website_id = ${q.websiteId} AND r.bucket >= ${plan.from} AND r.bucket < ${plan.to} ${kindIn("i.kind")}
        GROUP BY i.kind`;
      break;
  }
  return Object.fromEntries(rows.map((r) => [r.kind, r.events]));
}

/** The error kinds a visitor counts as affected by, narrowed by a `kind` filter. */
function affectingKinds(q: TotalsQuery): string[] {
  return ERROR_LIKE_KINDS.filter((kind) => !q.kind || q.kind.includes(kind));
}

/**
 * Where affected visitors come from, for a range over 6 hours: the hourly presence bits (whole
 * hours, exact) with no filter but `kind`: rollup_visitor_bits_1h when every error kind
 * counts, rollup_visitor_kind_bits_1h for some of them; with `country` (and every error kind),
 * rollup_country_bits_1h. Otherwise (short ranges, any other filter) distinct visitors in raw
 * events over the event counts' bounds.
 */
export type VisitorsPlan = Plan & { source: "events" | "bits" | "kindBits" | "countryBits" };

export function visitorsPlan(q: TotalsQuery, counts: Plan): VisitorsPlan {
  const everyErrorKind = affectingKinds(q).length === ERROR_LIKE_KINDS.length;
  const source = holds(q, ["kind"]) ? (everyErrorKind ? "bits" : "kindBits") : holds(q, ["kind", "country"]) && everyErrorKind ? "countryBits" : null;
  if (source === null || counts.granularity === null) return { from: counts.from, to: counts.to, granularity: null, source: "events" };
  return { ...planRange(rangeOf(q), HOURLY_ROLLUP_MINUTES), source };
}

async function affectedVisitors(q: TotalsQuery, plan: VisitorsPlan): Promise<number> {
  const kinds = affectingKinds(q);
  if (kinds.length === 0) return 0;
  if (plan.source === "events") {
    const [row] = await db().$queryRaw<{ n: number }[]>`
      -- DISTINCT in a subquery hashes; count(DISTINCT ...) would sort every row.
      SELECT count(*)::int AS n FROM (SELECT DISTINCT visitor_id FROM events
      WHERE website_id = ${q.websiteId} AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
        ${eventConditions(q, { kinds })}) v`;
    return row?.n ?? 0;
  }
  const rows =
    plan.source === "bits"
      ? Prisma.sql`SELECT chunk, bits FROM rollup_visitor_bits_1h
          WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to}`
      : plan.source === "kindBits"
        ? Prisma.sql`SELECT chunk, bits FROM rollup_visitor_kind_bits_1h
            WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to} AND kind = ANY(${kinds}::text[])`
        : Prisma.sql`SELECT chunk, bits FROM rollup_country_bits_1h
            WHERE website_id = ${q.websiteId} AND bucket >= ${plan.from} AND bucket < ${plan.to} AND country_code = ${q.country!}`;
  // One bit per visitor number: OR the hours (kinds, countries) together per chunk, then count the bits.
  const [row] = await db().$queryRaw<{ n: number }[]>`
    SELECT coalesce(sum(bit_count(bits)), 0)::int AS n FROM (SELECT bit_or(bits) AS bits FROM (${rows}) r GROUP BY chunk) c`;
  return row?.n ?? 0;
}

async function figures(q: TotalsQuery, counts: ReturnType<typeof countsPlan>, visitors: VisitorsPlan): Promise<Figures> {
  const [byKind, affected] = await Promise.all([kindCounts(q, counts), affectedVisitors(q, visitors)]);
  const result = Object.fromEntries(KNOWN_KINDS.map((kind) => [kind, byKind[kind] ?? 0])) as Figures;
  result.affectedVisitors = affected;
  return result;
}

/**
 * Totals per kind and affected visitors (distinct visitors with an error or rage click) for a
 * range and for the period of the same length just before it, with the filters applied. The
 * previous period is taken before the (widened) current one, so the two never overlap.
 * `from`/`to`/`previousFrom`/`previousTo` are the bounds of the event counts; `visitorsFrom`/
 * `visitorsTo`/`previousVisitorsFrom`/`previousVisitorsTo` those of affected visitors (whole
 * hours when read from the bitmaps, else the same as the counts').
 */
export async function getTotals(q: TotalsQuery) {
  const current = countsPlan(q);
  const previous = { ...previousRange(current), granularity: current.granularity, table: current.table };
  const currentVisitors = visitorsPlan(q, current);
  const previousVisitors: VisitorsPlan =
    currentVisitors.source === "events"
      ? { from: previous.from, to: previous.to, granularity: null, source: "events" }
      : { ...previousRange(currentVisitors), granularity: currentVisitors.granularity, source: currentVisitors.source };
  const [now, before] = await Promise.all([figures(q, current, currentVisitors), figures(q, previous, previousVisitors)]);
  return {
    from: current.from.toISOString(),
    to: current.to.toISOString(),
    previousFrom: previous.from.toISOString(),
    previousTo: previous.to.toISOString(),
    visitorsFrom: currentVisitors.from.toISOString(),
    visitorsTo: currentVisitors.to.toISOString(),
    previousVisitorsFrom: previousVisitors.from.toISOString(),
    previousVisitorsTo: previousVisitors.to.toISOString(),
    current: now,
    previous: before,
  };
}
