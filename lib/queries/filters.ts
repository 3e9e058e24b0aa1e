// The stats filters (lib/api/params.ts `statsFilters`) as SQL, and which rollup can hold them.
//
// Every stats query reads either a rollup (fast, whole buckets) or raw events (exact bounds).
// A rollup can only answer when it keeps every filter that is set as one of its columns;
// otherwise the query reads raw events with the exact bounds. Which filters each rollup keeps:
//
//   rollup_kind_15m       kind
//   rollup_country_1h     kind, country
//   rollup_issue_1h/_1d   kind (the issue's kind: every event of an issue has its kind), issueId
//   rollup_visitor_1d     kind, visitorId
//   rollup_visitor_bits_1h  nothing (every error or rage click of the website)
//   rollup_visitor_kind_bits_1h  kind
//   rollup_country_bits_1h  country (every error kind)
//
// `url` (events.url_template) and `prop` (events.properties) are in no rollup: any query with
// them reads raw events. Raw events are cheap with a `visitorId` (index on website, visitor,
// time), an `issueId` (index on issue, time) or a `url` (partial index on website, URL
// template, time, holding the columns the stats group by); otherwise (`prop`, `country` where
// no rollup holds it) a long range scans the website's events in that range.
import type { PropertyFilter, StatsFilters } from "../api/params";
import { Prisma } from "../generated/prisma/client";

export type FilterName = "kind" | "country" | "issueId" | "visitorId" | "url" | "prop";
export const FILTER_NAMES: readonly FilterName[] = ["kind", "country", "issueId", "visitorId", "url", "prop"];

/** The subset of a query that are filters (so callers can pass their whole query). */
export type Filters = Partial<Pick<StatsFilters, FilterName>>;

/** The filters that are set. */
export function activeFilters(f: Filters): FilterName[] {
  return FILTER_NAMES.filter((name) => f[name] !== undefined);
}

/** True when every filter that is set is one of `held`. */
export function holds(f: Filters, held: readonly FilterName[]): boolean {
  return activeFilters(f).every((name) => held.includes(name));
}

/** `{"plan_str": "pro"}`: containment keeps the JSON type, so 3 does not match "3". */
export function propertyJson(prop: PropertyFilter): string {
  return JSON.stringify({ [prop.name]: prop.value });
}

/**
 * `AND ...` conditions on the events table (columns unqualified, or prefixed with `alias.`)
 * for the filters that are set, except those in `skip`. Only set filters become SQL, so the
 * planner sees plain predicates it can use indexes for. `kinds`, when given, replaces `f.kind`
 * (endpoints that default to some kinds pass their effective list).
 */
export function eventConditions(f: Filters, options: { alias?: string; skip?: readonly FilterName[]; kinds?: readonly string[] } = {}): Prisma.Sql {
  const col = (name: string) => Prisma.raw(options.alias ? `${options.alias}.${name}` : name);
  const skip = new Set(options.skip ?? []);
  const parts: Prisma.Sql[] = [];
  const kinds = options.kinds ?? f.kind;
  if (kinds && !skip.has("kind")) parts.push(Prisma.sql`AND ${col("kind")} = ANY(${[...kinds]}::text[])`);
  if (f.country !== undefined && !skip.has("country")) parts.push(Prisma.sql`AND coalesce(${col("country_code")}, '') = ${f.country}`);
  if (f.issueId !== undefined && !skip.has("issueId")) parts.push(Prisma.sql`AND ${col("issue_id")} = ${f.issueId}::bigint`);
  if (f.visitorId !== undefined && !skip.has("visitorId")) parts.push(Prisma.sql`AND ${col("visitor_id")} = ${f.visitorId}`);
  if (f.url !== undefined && !skip.has("url")) parts.push(Prisma.sql`AND ${col("url_template")} = ${f.url}`);
  if (f.prop !== undefined && !skip.has("prop")) parts.push(Prisma.sql`AND ${col("properties")} @> ${propertyJson(f.prop)}::jsonb`);
  return parts.length ? Prisma.join(parts, " ") : Prisma.empty;
}
