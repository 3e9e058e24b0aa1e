// One URL template's failures: trend, statuses, methods, countries, visitors and latest requests.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { dateRange, statsFilters } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { bucketStarts, chooseBucket, fillBuckets, type BucketMinutes } from "./buckets";
import { endpointOf, netSource, netTotal, perHour, shareOf, templateOf, urlId, urlsPlan, visitorsOf } from "./get-urls";
import { rangeLimit } from "./range";

/** Countries and visitors are counted from at most this many of the newest failures in the range. */
export const URL_SAMPLE_LIMIT = 5_000;
export const URL_LATEST = 50;
const TOP = 10;

export const urlQuery = z
  .intersection(
    statsFilters.extend({
      /** A method ("GET"), or "-" for requests without one. */
      method: z.string().trim().min(1).max(20).transform((m) => (m === "-" ? "" : m.toUpperCase())).optional(),
    }),
    dateRange,
  )
  .refine(...rangeLimit);
export type UrlQuery = z.infer<typeof urlQuery>;

type Endpoint = { id: string; method: string; status: number | null; first_seen: Date; last_seen: Date; event_count: number; visitor_count: number };

/**
 * The website's NetError issues with this URL template (all methods and statuses). Titles are
 * "METHOD template status" (cut at 500 characters), so titles holding the template's start are
 * candidates, confirmed by the template of their newest event.
 */
export async function endpointsOf(websiteId: string, template: string): Promise<Endpoint[]> {
  return db().$queryRaw<Endpoint[]>`
    SELECT i.id::text AS id, ep.method, ep.status, i.first_seen, i.last_seen, i.event_count, i.visitor_count
    FROM issues i
    ${endpointOf(Prisma.sql`i.id`)}
    WHERE i.website_id = ${websiteId} AND i.kind = 'NetError' AND strpos(i.title, left(${template}, 400)) > 0
      AND ep.template = ${template}
    ORDER BY i.event_count DESC, i.id`;
}

type SampleRow = {
  id: string;
  occurred_at: Date;
  visitor_id: string;
  country_code: string | null;
  method: string | null;
  url: string | null;
  status: number | null;
};

/**
 * The URL template `id` (see urlId) on a website: 404 when it never failed there. Counts and
 * the trend are exact (rollup or raw, as the list); countries and visitors come from the newest
 * URL_SAMPLE_LIMIT failures in the range, and `sample` says whether that was all of them.
 */
export async function getUrlDetail(id: string, q: UrlQuery, sampleLimit = URL_SAMPLE_LIMIT) {
  const template = templateOf(id);
  if (template === null) throw new ApiError("bad_request", "Invalid URL id: pass the id of a row of GET /api/urls.");
  const all = await endpointsOf(q.websiteId, template);
  if (all.length === 0) throw new ApiError("not_found", "No failed requests to this URL on this website.");
  const endpoints = all.filter((e) => (q.method === undefined || e.method === q.method) && (q.issueId === undefined || e.id === q.issueId));
  const ids = endpoints.map((e) => e.id);
  const plan = urlsPlan(q);
  const scope = { ...q, issueId: undefined };

  // Buckets as the trend charts choose them, never smaller than the hourly rollup read.
  const size = Math.max(chooseBucket(plan.from, plan.to), plan.granularity ?? 0) as BucketMinutes;
  const starts = bucketStarts(plan.from, plan.to, size, q.tz);
  const [perBucket, totalRow, visitors, sample] = await Promise.all([
    ids.length
      ? db().$queryRaw<{ id: string; bucket: Date; events: number }[]>`
          SELECT issue_id::text AS id, date_bin(make_interval(mins => ${size}::int), at, ${starts[0]!}::timestamptz) AS bucket,
            sum(events)::int AS events
          FROM (${netSource(scope, plan, ids)}) src GROUP BY 1, 2`
      : Promise.resolve([]),
    db().$queryRaw<{ total: number }[]>(netTotal(scope, plan)),
    visitorsOf(scope, plan, [ids]),
    ids.length
      ? db().$queryRaw<SampleRow[]>`
          SELECT s.* FROM unnest(${ids}::bigint[]) AS x(issue_id)
          CROSS JOIN LATERAL (
            SELECT e.id::text AS id, e.occurred_at, e.visitor_id, e.country_code, e.method, e.url, e.status FROM events e
            WHERE e.issue_id = x.issue_id AND e.occurred_at >= ${plan.from} AND e.occurred_at < ${plan.to}
              AND (${q.country ?? null}::text IS NULL OR coalesce(e.country_code, '') = ${q.country ?? null})
              AND (${q.visitorId ?? null}::text IS NULL OR e.visitor_id = ${q.visitorId ?? null})
            ORDER BY e.occurred_at DESC LIMIT ${sampleLimit}
          ) s
          ORDER BY s.occurred_at DESC, s.id DESC LIMIT ${sampleLimit}`
      : Promise.resolve([]),
  ]);

  const byIssue = new Map<string, number>();
  for (const row of perBucket) byIssue.set(row.id, (byIssue.get(row.id) ?? 0) + row.events);
  const events = [...byIssue.values()].reduce((a, b) => a + b, 0);
  const statusName = (s: number | null) => (s === null ? "none" : String(s));
  const sum = (key: (e: Endpoint) => string) => {
    const totals = new Map<string, number>();
    for (const e of endpoints) totals.set(key(e), (totals.get(key(e)) ?? 0) + (byIssue.get(e.id) ?? 0));
    return [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  };
  const statuses = sum((e) => statusName(e.status));
  const methods = sum((e) => e.method);
  const series = statuses.map(([s]) => s);
  const statusOfIssue = new Map(endpoints.map((e) => [e.id, statusName(e.status)]));
  const points = fillBuckets(
    starts,
    series,
    perBucket.map((r) => ({ bucket: r.bucket, series: statusOfIssue.get(r.id)!, events: r.events })),
  );

  // From the sample: countries, visitors and the newest requests.
  const countries = new Map<string, number>();
  const visitorsHit = new Map<string, { events: number; lastSeen: Date; country: string | null }>();
  for (const row of sample) {
    const country = row.country_code ?? "";
    countries.set(country, (countries.get(country) ?? 0) + 1);
    const v = visitorsHit.get(row.visitor_id);
    if (v) v.events += 1;
    else visitorsHit.set(row.visitor_id, { events: 1, lastSeen: row.occurred_at, country: row.country_code });
  }
  const rankedCountries = [...countries].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const topVisitors = [...visitorsHit].sort(([a, x], [b, y]) => y.events - x.events || y.lastSeen.getTime() - x.lastSeen.getTime() || (a < b ? -1 : 1)).slice(0, TOP);
  const latest = sample.slice(0, URL_LATEST);
  const visitorIds = [...new Set([...topVisitors.map(([v]) => v), ...latest.map((r) => r.visitor_id)])];
  const labels = new Map(
    (visitorIds.length
      ? await db().$queryRaw<{ id: string; label: string }[]>`
          SELECT id, coalesce(nullif(name, ''), nullif(email, ''), id) AS label FROM visitors
          WHERE website_id = ${q.websiteId} AND id = ANY(${visitorIds}::text[])`
      : []
    ).map((r) => [r.id, r.label]),
  );
  const total = totalRow[0]?.total ?? 0;

  return {
    id: urlId(template),
    template,
    from: plan.from.toISOString(),
    to: plan.to.toISOString(),
    timeZone: q.tz,
    bucketMinutes: size,
    events,
    share: shareOf(events, total),
    perHour: perHour(events, plan),
    /** Failed requests to every URL in the range (the whole of `share`). */
    totalFailures: total,
    visitors: visitors[0] ?? 0,
    visitorsScope: plan.granularity === null ? ("range" as const) : ("allTime" as const),
    firstSeen: all.reduce((min, e) => (e.first_seen < min ? e.first_seen : min), all[0]!.first_seen).toISOString(),
    lastSeen: all.reduce((max, e) => (e.last_seen > max ? e.last_seen : max), all[0]!.last_seen).toISOString(),
    /** Every method of this template, whatever `method`, for choosing one. */
    allMethods: [...new Set(all.map((e) => e.method))].sort(),
    endpoints: endpoints.map((e) => ({
      issueId: e.id,
      method: e.method,
      status: e.status,
      events: byIssue.get(e.id) ?? 0,
      totalEvents: e.event_count,
      visitors: e.visitor_count,
      firstSeen: e.first_seen.toISOString(),
      lastSeen: e.last_seen.toISOString(),
    })),
    statuses: statuses.map(([status, n]) => ({ status: status === "none" ? null : Number(status), events: n })),
    methods: methods.map(([method, n]) => ({ method, events: n })),
    series,
    points,
    sample: { events: sample.length, limit: sampleLimit, complete: sample.length === events },
    countries: {
      rows: rankedCountries.slice(0, TOP).map(([country, n]) => ({ country, events: n })),
      other: rankedCountries.slice(TOP).reduce((s, [, n]) => s + n, 0),
    },
    visitorsHit: topVisitors.map(([visitorId, v]) => ({
      visitorId,
      label: labels.get(visitorId) ?? visitorId,
      country: v.country,
      events: v.events,
      lastSeen: v.lastSeen.toISOString(),
    })),
    latest: latest.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at.toISOString(),
      method: r.method,
      url: r.url,
      status: r.status,
      visitorId: r.visitor_id,
      visitorLabel: labels.get(r.visitor_id) ?? r.visitor_id,
      country: r.country_code,
    })),
  };
}
