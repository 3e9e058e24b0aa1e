// The properties of one custom event name, and the breakdown of one property.
//
// Properties live only in raw events (events.properties, jsonb), so this reads the newest
// PROPERTY_SAMPLE_LIMIT events of that name in the range through events(issue_id, occurred_at)
// and says when that was not all of them. Keys are typed by suffix (lib/livesession/properties.ts).
import { z } from "zod";
import { ApiError } from "../api/errors";
import { dateRange, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { propertyType, type PropertyType } from "../livesession/properties";
import { customIssueId } from "./get-custom-events";
import { rangeOf } from "./get-timeseries";
import { HOURLY_ROLLUP_MINUTES, planRange, rangeLimit, type Plan } from "./range";

export const PROPERTY_SAMPLE_LIMIT = 10_000;
export const TOP_VALUES = 10;
export const HISTOGRAM_BUCKETS = 10;
const MAX_KEYS = 200;

export const customEventPropertiesQuery = z
  .intersection(
    statsFilters.extend({
      name: z.string().max(500),
      property: z.string().min(1).max(200).optional(),
      /** The view's custom property filter, `key:value`: only events whose property has that value (as text). */
      prop: z.string().regex(/^[^:]{1,200}:[\s\S]{0,500}$/, "Expected key:value").optional(),
    }),
    dateRange,
  )
  .refine(...rangeLimit);
export type CustomEventPropertiesQuery = z.infer<typeof customEventPropertiesQuery>;

/** Like the issue list: the hourly rollup (whole hours) for long unfiltered ranges, else exact bounds. */
function plan(q: CustomEventPropertiesQuery): Plan {
  return planRange(rangeOf(q), HOURLY_ROLLUP_MINUTES, q.country !== undefined || q.visitorId !== undefined || q.prop !== undefined);
}

/** The newest events of the issue in the plan (at most the limit + 1, to tell when capped). */
function sample(q: CustomEventPropertiesQuery, issueId: string, p: Plan, limit: number): Prisma.Sql {
  const country = q.country ?? null;
  const visitorId = q.visitorId ?? null;
  const split = q.prop?.indexOf(":") ?? -1;
  const propKey = q.prop && split > 0 ? q.prop.slice(0, split) : null;
  const propValue = q.prop && split > 0 ? q.prop.slice(split + 1) : null;
  return Prisma.sql`
    SELECT properties FROM events
    WHERE issue_id = ${issueId}::bigint AND occurred_at >= ${p.from} AND occurred_at < ${p.to}
      AND (${country}::text IS NULL OR coalesce(country_code, '') = ${country})
      AND (${visitorId}::text IS NULL OR visitor_id = ${visitorId})
      AND (${propKey}::text IS NULL OR properties ->> ${propKey}::text = ${propValue}::text)
    ORDER BY occurred_at DESC LIMIT ${limit + 1}`;
}

/** A value of the property's type, as jsonb_typeof names it (int is a number with no fraction). */
function matches(type: PropertyType | null, value: Prisma.Sql): Prisma.Sql {
  switch (type) {
    case "str":
      return Prisma.sql`jsonb_typeof(${value}) = 'string'`;
    case "bool":
      return Prisma.sql`jsonb_typeof(${value}) = 'boolean'`;
    case "int":
      // Numbers beyond ±1e300 would overflow float8; they count as mismatched.
      return Prisma.sql`(CASE WHEN jsonb_typeof(${value}) = 'number' THEN abs((${value})::numeric) < 1e300 AND (${value})::numeric = trunc((${value})::numeric) ELSE false END)`;
    case "float":
      return Prisma.sql`(CASE WHEN jsonb_typeof(${value}) = 'number' THEN abs((${value})::numeric) < 1e300 ELSE false END)`;
    case null:
      return Prisma.sql`true`;
  }
}

type Sampled = { rows: number; limit: number; capped: boolean };

/**
 * Without `property`: the keys seen on the name's events (how many events carry each, and how
 * many of those have a value of the key's suffix type). With `property`: its breakdown — top
 * string values with the rest as `other`, a numeric histogram with min/max/avg/percentiles, or
 * the true/false split. 404 when the website never received a custom event of that name.
 */
export async function getCustomEventProperties(q: CustomEventPropertiesQuery, limit = PROPERTY_SAMPLE_LIMIT) {
  const issueId = customIssueId(q.websiteId, q.name);
  const [issue] = await db().$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM issues WHERE id = ${issueId}::bigint AND website_id = ${q.websiteId} AND kind = 'Custom'`;
  if (!issue) throw new ApiError("not_found", "No custom events of this name on this website.");
  const p = plan(q);
  const src = sample(q, issueId, p, limit);

  // Exact count of the name's events in the range, when a rollup or a short scan gives it cheaply.
  const [counted] =
    p.granularity !== null
      ? await db().$queryRaw<{ events: number }[]>`
          SELECT coalesce(sum(events), 0)::int AS events FROM rollup_issue_1h
          WHERE issue_id = ${issueId}::bigint AND bucket >= ${p.from} AND bucket < ${p.to}`
      : await db().$queryRaw<{ events: number }[]>`SELECT count(*)::int AS events FROM (${src}) s`;
  const rowsRead = Math.min(counted?.events ?? 0, limit);
  const base = {
    name: q.name,
    issueId,
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    /** Events of this name in the range (null when over the sample with a filter that no rollup holds). */
    events: p.granularity !== null || (counted?.events ?? 0) <= limit ? (counted?.events ?? 0) : null,
    sample: { rows: rowsRead, limit, capped: (counted?.events ?? 0) > limit } satisfies Sampled,
  };

  if (q.property === undefined) {
    const keys = await db().$queryRaw<{ key: string; events: number; valid: number }[]>`
      WITH s AS (SELECT properties FROM (${src}) x LIMIT ${limit}),
      -- Per key, values of each JSON type first; the key's suffix picks the valid ones once per
      -- key rather than once per value.
      per_key AS (
        SELECT k.key, count(*)::int AS events,
          count(*) FILTER (WHERE jsonb_typeof(k.value) = 'string')::int AS strings,
          count(*) FILTER (WHERE jsonb_typeof(k.value) = 'boolean')::int AS bools,
          count(*) FILTER (WHERE jsonb_typeof(k.value) = 'number')::int AS numbers,
          count(*) FILTER (WHERE right(k.key, 4) = '_int' AND jsonb_typeof(k.value) = 'number'
            AND (k.value)::numeric = trunc((k.value)::numeric))::int AS ints
        FROM s CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.properties) = 'object' THEN s.properties ELSE '{}'::jsonb END) AS k(key, value)
        GROUP BY k.key
      )
      SELECT key, events,
        CASE WHEN key ~ '_str$' THEN strings WHEN key ~ '_bool$' THEN bools WHEN key ~ '_int$' THEN ints
          WHEN key ~ '_float$' THEN numbers ELSE 0 END AS valid
      FROM per_key
      ORDER BY events DESC, key COLLATE "C"
      LIMIT ${MAX_KEYS}`;
    return {
      ...base,
      properties: keys.map((k) => ({ key: k.key, type: propertyType(k.key), events: k.events, valid: k.valid })),
    };
  }

  const key = q.property;
  const type = propertyType(key);
  const value = Prisma.sql`(s.properties -> ${key}::text)`;
  const has = Prisma.sql`jsonb_typeof(s.properties) = 'object' AND (s.properties -> ${key}::text) IS NOT NULL`;
  const counts = Prisma.sql`
    WITH s AS (SELECT properties FROM (${src}) x LIMIT ${limit})
    SELECT count(*) FILTER (WHERE ${has})::int AS present,
      count(*) FILTER (WHERE ${has} AND ${matches(type, value)})::int AS valid
    FROM s`;
  const [{ present, valid }] = (await db().$queryRaw<{ present: number; valid: number }[]>(counts)) as [{ present: number; valid: number }];
  const property = { key, type, present, missing: rowsRead - present, mismatched: present - valid, valid };

  if (type === "bool") {
    const [row] = await db().$queryRaw<{ yes: number; no: number }[]>`
      WITH s AS (SELECT properties FROM (${src}) x LIMIT ${limit})
      SELECT count(*) FILTER (WHERE ${value} = 'true'::jsonb)::int AS yes, count(*) FILTER (WHERE ${value} = 'false'::jsonb)::int AS no
      FROM s WHERE ${has}`;
    return { ...base, property, breakdown: { kind: "boolean" as const, true: row?.yes ?? 0, false: row?.no ?? 0 } };
  }

  if (type === "int" || type === "float") {
    const numbers = Prisma.sql`
      WITH s AS (SELECT properties FROM (${src}) x LIMIT ${limit})
      SELECT (${value})::numeric::float8 AS x FROM s WHERE ${has} AND ${matches(type, value)}`;
    const [stats] = await db().$queryRaw<{ n: number; min: number | null; max: number | null; avg: number | null; p: number[] | null }[]>`
      SELECT count(*)::int AS n, min(x) AS min, max(x) AS max, avg(x) AS avg,
        percentile_cont(ARRAY[0.5, 0.9, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY x) AS p
      FROM (${numbers}) v`;
    const buckets: { from: number; to: number; events: number }[] = [];
    if (stats && stats.n > 0 && stats.min !== null && stats.max !== null) {
      const { min, max } = stats;
      // Integers get whole-number buckets ([from, to) with integer edges); floats equal widths.
      const count = type === "int" ? Math.min(HISTOGRAM_BUCKETS, max - min + 1) : min === max ? 1 : HISTOGRAM_BUCKETS;
      const width = type === "int" ? Math.ceil((max - min + 1) / count) : (max - min) / count || 1;
      const rows = await db().$queryRaw<{ b: number; events: number }[]>`
        SELECT least(floor((x - ${min}::float8) / ${width}::float8)::int, ${count - 1}::int) AS b, count(*)::int AS events
        FROM (${numbers}) v GROUP BY 1`;
      const byBucket = new Map(rows.map((r) => [r.b, r.events]));
      for (let b = 0; b < count; b++) {
        const from = min + b * width;
        const to = type === "int" ? from + width : b === count - 1 ? max : min + (b + 1) * width;
        buckets.push({ from, to, events: byBucket.get(b) ?? 0 });
      }
    }
    const round = (n: number | null) => (n === null ? null : Math.round(n * 1e6) / 1e6);
    return {
      ...base,
      property,
      breakdown: {
        kind: "numeric" as const,
        count: stats?.n ?? 0,
        min: stats?.min ?? null,
        max: stats?.max ?? null,
        avg: round(stats?.avg ?? null),
        p50: round(stats?.p?.[0] ?? null),
        p90: round(stats?.p?.[1] ?? null),
        p95: round(stats?.p?.[2] ?? null),
        p99: round(stats?.p?.[3] ?? null),
        /** Integers: [from, to) with whole-number edges; floats: [from, to), the last one closed. */
        buckets,
      },
    };
  }

  // Strings (and keys without a type suffix, shown as their JSON text).
  const text = type === "str" ? Prisma.sql`${value} #>> '{}'` : Prisma.sql`${value}::text`;
  const rows = await db().$queryRaw<{ value: string | null; events: number }[]>`
    WITH s AS (SELECT properties FROM (${src}) x LIMIT ${limit}),
    v AS (SELECT ${text} AS value, count(*)::int AS events FROM s WHERE ${has} AND ${matches(type, value)} GROUP BY 1),
    top AS (SELECT value FROM v ORDER BY events DESC, value COLLATE "C" LIMIT ${TOP_VALUES})
    SELECT top.value, sum(v.events)::int AS events FROM v LEFT JOIN top ON top.value = v.value GROUP BY top.value`;
  const top = rows.filter((r) => r.value !== null).sort((a, b) => b.events - a.events || (a.value! < b.value! ? -1 : 1));
  return {
    ...base,
    property,
    breakdown: {
      kind: "values" as const,
      values: top.map((r) => ({ value: r.value!, events: r.events })),
      other: rows.find((r) => r.value === null)?.events ?? 0,
    },
  };
}
