import { db } from "../db/client";
import type { IssueComment } from "../issues/triage";

export type ActivityEntry = {
  id: string;
  at: string;
  /** A user (id set while the user exists), an API token, or "system" (ingest). */
  actor: { id: string | null; name: string };
  action: "status" | "assign" | "merge" | "comment";
  details: Record<string, unknown>;
};

const LIMIT = 200;

/** The issue's latest 200 changes, oldest first. Names are the current ones of users who still exist. */
export async function getIssueActivity(issueId: string): Promise<ActivityEntry[]> {
  const rows = await db().$queryRaw<{ id: string; at: Date; actor_id: string | null; actor_name: string; action: ActivityEntry["action"]; details: Record<string, unknown> }[]>`
    SELECT * FROM (
      SELECT a.id::text AS id, a.at, a.actor_id, coalesce(u.name, a.actor_name) AS actor_name, a.action, a.details
      FROM issue_activity a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.issue_id = ${issueId}::bigint ORDER BY a.at DESC, a.id DESC LIMIT ${LIMIT}
    ) latest ORDER BY at, id::bigint`;
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: { id: r.actor_id, name: r.actor_name }, action: r.action, details: r.details }));
}

/** The issue's comments, oldest first. */
export async function getIssueComments(issueId: string): Promise<IssueComment[]> {
  const rows = await db().$queryRaw<{ id: string; created_at: Date; author_id: string | null; author_name: string; body: string }[]>`
    SELECT c.id::text AS id, c.created_at, c.author_id, coalesce(u.name, c.author_name) AS author_name, c.body
    FROM issue_comments c LEFT JOIN users u ON u.id = c.author_id
    WHERE c.issue_id = ${issueId}::bigint ORDER BY c.created_at, c.id`;
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString(), author: { id: r.author_id, name: r.author_name }, body: r.body }));
}
