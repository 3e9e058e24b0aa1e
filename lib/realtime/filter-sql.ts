import { Prisma } from "../generated/prisma/client";
import type { LiveFilters } from "./filters";

/**
 * The live filters as SQL conditions on an events table aliased `e`, joined with AND and led by
 * AND (put it after a WHERE condition): the same rules as `matchesFilters` in filters.ts, so the
 * latest-events list, a subscription's catch-up and the live feed agree on what matches.
 */
export function liveFilterSql(f: LiveFilters): Prisma.Sql {
  const kinds = f.kind ?? null;
  const country = f.country ?? null;
  const issueId = f.issueId ?? null;
  const visitorId = f.visitorId ?? null;
  const url = f.url ?? null;
  const prop = f.prop ? JSON.stringify({ [f.prop.name]: f.prop.value }) : null;
  return Prisma.sql`
      AND (${kinds}::text[] IS NULL OR e.kind = ANY(${kinds}::text[]))
      AND (${country}::text IS NULL OR coalesce(e.country_code, '') = ${country}::text)
      AND (${issueId}::bigint IS NULL OR e.issue_id = ${issueId}::bigint)
      AND (${visitorId}::text IS NULL OR e.visitor_id = ${visitorId}::text)
      AND (${url}::text IS NULL OR e.url_template = ${url}::text)
      AND (${prop}::jsonb IS NULL OR e.properties @> ${prop}::jsonb)`;
}
