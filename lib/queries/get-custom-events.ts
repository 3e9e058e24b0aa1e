// Custom events by name: a Custom issue per name (lib/ingest/fingerprint.ts), so the list is the
// issue list narrowed to Custom, with the name given back exactly.
import { z } from "zod";
import { dateRange, listPaging, search, statsFilters } from "../api/params";
import { db } from "../db/client";
import { groupEvent, issueIdOf } from "../ingest/fingerprint";
import { getIssues, issuesPlan, ISSUE_SORTS } from "./get-issues";
import { rangeLimit } from "./range";

export const customEventsQuery = z
  .intersection(
    z.intersection(statsFilters.extend({ q: search, sort: z.enum(ISSUE_SORTS).default("events") }), listPaging),
    dateRange,
  )
  .refine(...rangeLimit);
export type CustomEventsQuery = z.infer<typeof customEventsQuery>;

/** The issue id of a website's Custom events named `name` (whether or not any exist). */
export function customIssueId(websiteId: string, name: string): string {
  return issueIdOf(websiteId, groupEvent({ kind: "Custom", name }).fingerprint);
}

/**
 * Custom event names with events in the range: `events` in the range, `share` of all custom
 * events in the range, all-time `totalEvents` and `visitors`, a 24-point sparkline.
 */
export async function getCustomEvents(q: CustomEventsQuery) {
  const plan = issuesPlan({ ...q, kind: ["Custom"] });
  const country = q.country ?? null;
  const visitorId = q.visitorId ?? null;
  const [list, totals] = await Promise.all([
    getIssues({ ...q, kind: ["Custom"] }),
    plan.granularity === null
      ? db().$queryRaw<{ total: number }[]>`
          SELECT count(*)::int AS total FROM events
          WHERE website_id = ${q.websiteId} AND kind = 'Custom' AND occurred_at >= ${plan.from} AND occurred_at < ${plan.to}
            AND (${q.issueId ?? null}::bigint IS NULL OR issue_id = ${q.issueId ?? null}::bigint)
            AND (${country}::text IS NULL OR coalesce(country_code, '') = ${country})
            AND (${visitorId}::text IS NULL OR visitor_id = ${visitorId})`
      : q.issueId !== undefined
        ? db().$queryRaw<{ total: number }[]>`
            SELECT coalesce(sum(r.events), 0)::int AS total FROM rollup_issue_1h r JOIN issues i ON i.id = r.issue_id AND i.kind = 'Custom'
            WHERE r.issue_id = ${q.issueId}::bigint AND r.website_id = ${q.websiteId} AND r.bucket >= ${plan.from} AND r.bucket < ${plan.to}`
        : // The hour-aligned bounds are whole 15-minute buckets: the small kind rollup has the total.
          db().$queryRaw<{ total: number }[]>`
            SELECT coalesce(sum(events), 0)::int AS total FROM rollup_kind_15m
            WHERE website_id = ${q.websiteId} AND kind = 'Custom' AND bucket >= ${plan.from} AND bucket < ${plan.to}`,
  ]);
  const total = totals[0]?.total ?? 0;
  const unnamed = customIssueId(q.websiteId, "");
  return {
    from: list.from,
    to: list.to,
    total,
    events: list.issues.map((issue) => ({
      name: issue.id === unnamed ? "" : issue.title,
      issueId: issue.id,
      events: issue.events,
      share: total > 0 ? Math.round((issue.events / total) * 10_000) / 10_000 : 0,
      totalEvents: issue.totalEvents,
      visitors: issue.visitors,
      firstSeen: issue.firstSeen,
      lastSeen: issue.lastSeen,
      sparkline: issue.sparkline,
    })),
    nextCursor: list.nextCursor,
  };
}

export function customEventExportRows(result: Awaited<ReturnType<typeof getCustomEvents>>) {
  return result.events.map((e) => ({
    name: e.name,
    events: e.events,
    share: e.share,
    totalEvents: e.totalEvents,
    visitors: e.visitors,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    from: result.from,
    to: result.to,
  }));
}
