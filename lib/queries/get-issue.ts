import { z } from "zod";
import { dateRange, issueIdParam, statsFilters } from "../api/params";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { shownStatusSql, type IssueRowColumns } from "../issues/sql";
import type { IgnoreInput, IssueStatus } from "../issues/states";
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
  /** The state it shows (an ignore whose time has passed shows as open). */
  status: IssueStatus;
  /** While ignored: until when, or until its all-time event count exceeds `untilEvents`. */
  ignore: { kind: IgnoreInput["kind"]; until: string | null; untilEvents: number | null } | null;
  statusChangedAt: string | null;
  assignee: { id: string; name: string } | null;
  /** The issue it was merged into: its fingerprint's new events are counted there. */
  mergedInto: string | null;
  /** Issues merged into this one. */
  mergedFrom: string[];
};

/** A path segment as an issue id, or null when it cannot be one (then nothing has it). */
export function parseIssueId(value: string): string | null {
  return issueIdParam.safeParse(value).success ? value : null;
}

/** The issue with this id, in any website (null when there is none). */
export async function findIssue(id: string): Promise<IssueSummary | null> {
  if (parseIssueId(id) === null) return null;
  const rows = await db().$queryRaw<
    (IssueRowColumns & {
      website_id: string;
      ignore_kind: IgnoreInput["kind"] | null;
      ignore_until: Date | null;
      ignore_until_events: number | null;
      status_changed_at: Date | null;
      merged_into: string | null;
      merged_from: string[];
    })[]
  >`
    SELECT i.id::text AS id, i.website_id, i.kind, i.title, i.first_seen, i.last_seen, i.event_count, i.visitor_count,
      ${shownStatusSql("i")} AS status, i.ignore_kind, i.ignore_until, i.ignore_until_events, i.status_changed_at,
      i.assignee_id, u.name AS assignee_name,
      (SELECT m.target_issue_id::text FROM issue_merges m WHERE m.source_issue_id = i.id) AS merged_into,
      array(SELECT m.source_issue_id::text FROM issue_merges m WHERE m.target_issue_id = i.id ORDER BY m.merged_at) AS merged_from
    FROM issues i LEFT JOIN users u ON u.id = i.assignee_id
    WHERE i.id = ${id}::bigint`;
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
    status: r.status,
    ignore:
      r.status === "ignored" && r.ignore_kind !== null
        ? { kind: r.ignore_kind, until: r.ignore_until?.toISOString() ?? null, untilEvents: r.ignore_until_events }
        : null,
    statusChangedAt: r.status_changed_at?.toISOString() ?? null,
    assignee: r.assignee_id === null ? null : { id: r.assignee_id, name: r.assignee_name ?? "" },
    mergedInto: r.merged_into,
    mergedFrom: r.merged_from,
  };
}

/** The issue with this id, in any website; a 404 ApiError when there is none. */
export async function requireIssue(id: string): Promise<IssueSummary> {
  const issue = await findIssue(id);
  if (!issue) throw new ApiError("not_found", "No such issue.");
  return issue;
}

/** The issue with this id in this website; a 404 ApiError when there is none (or it is another website's). */
export async function getIssue(id: string, websiteId: string): Promise<IssueSummary> {
  const issue = await findIssue(id);
  if (!issue || issue.websiteId !== websiteId) throw new ApiError("not_found", "No such issue in this website.");
  return issue;
}
