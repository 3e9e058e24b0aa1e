import { z } from "zod";
import { dateRange, issueIdParam, statsFilters } from "../api/params";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { rangeLimit } from "./range";

/** `websiteId` (required: an issue is answered only within its website). */
export const issueQuery = statsFilters.pick({ websiteId: true });
export type IssueQuery = z.infer<typeof issueQuery>;

/** The website and range the issue pages' lists and charts read: `websiteId`, `from`, `to`, `tz`. */
export const issueRangeQuery = z.intersection(statsFilters.pick({ websiteId: true, tz: true }), dateRange).refine(...rangeLimit);
export type IssueRangeQuery = z.infer<typeof issueRangeQuery>;

export type IssueSummary = {
  id: string;
  websiteId: string;
  kind: string;
  title: string;
  firstSeen: string;
  lastSeen: string;
  totalEvents: number;
  visitors: number;
};

/** A path segment as an issue id, or null when it cannot be one (then nothing has it). */
export function parseIssueId(value: string): string | null {
  return issueIdParam.safeParse(value).success ? value : null;
}

/** The issue with this id, in any website (null when there is none). */
export async function findIssue(id: string): Promise<IssueSummary | null> {
  if (parseIssueId(id) === null) return null;
  const rows = await db().$queryRaw<
    { id: string; website_id: string; kind: string; title: string; first_seen: Date; last_seen: Date; event_count: number; visitor_count: number }[]
  >`
    SELECT id::text AS id, website_id, kind, title, first_seen, last_seen, event_count, visitor_count
    FROM issues WHERE id = ${id}::bigint`;
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    websiteId: r.website_id,
    kind: r.kind,
    title: r.title,
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
    totalEvents: r.event_count,
    visitors: r.visitor_count,
  };
}

/** The issue with this id in this website; a 404 ApiError when there is none (or it is another website's). */
export async function getIssue(id: string, websiteId: string): Promise<IssueSummary> {
  const issue = await findIssue(id);
  if (!issue || issue.websiteId !== websiteId) throw new ApiError("not_found", "No such issue in this website.");
  return issue;
}
