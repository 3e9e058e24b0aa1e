// Triage verbs: change an issue's state or assignee (one issue or many), merge it into
// another, comment on it. Each runs in a transaction that locks the issues' rows (ingest's
// statement locks them too, so a state change and an arriving event never interleave) and
// records every change in the issue's activity log.
import { ApiError } from "../api/errors";
import type { Principal } from "../auth/principal";
import { db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { sameState, stateColumns, type BulkInput, type IgnoreInput, type IssueStatus, type StateColumns, type UpdateIssueInput } from "./states";

type Tx = Prisma.TransactionClient;

/** Who made a change, as the activity log records it: a user, or an API token by its name. */
export type Actor = { id: string | null; name: string };

export function actorOf(principal: Principal): Actor {
  return principal.kind === "user" ? { id: principal.userId, name: principal.name } : { id: null, name: `API token “${principal.name}”` };
}

type LockedIssue = StateColumns & { id: string; websiteId: string; eventCount: number; assigneeId: string | null; mergedInto: string | null };

/** Locks the issues' rows in id order (as ingest does); a 404 naming the first id that does not exist. */
async function lockIssues(tx: Tx, ids: string[]): Promise<LockedIssue[]> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      website_id: string;
      status: IssueStatus;
      ignore_kind: IgnoreInput["kind"] | null;
      ignore_until: Date | null;
      ignore_until_events: number | null;
      event_count: number;
      assignee_id: string | null;
      merged_into: string | null;
    }[]
  >`
    SELECT i.id::text AS id, i.website_id, i.status, i.ignore_kind, i.ignore_until, i.ignore_until_events, i.event_count, i.assignee_id,
      (SELECT m.target_issue_id::text FROM issue_merges m WHERE m.source_issue_id = i.id) AS merged_into
    FROM issues i WHERE i.id = ANY(${ids}::bigint[])
    ORDER BY i.id FOR UPDATE`;
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(BigInt(id).toString()));
  if (missing !== undefined) throw new ApiError("not_found", `No issue ${missing}.`);
  return rows.map((r) => ({
    id: r.id,
    websiteId: r.website_id,
    status: r.status,
    ignoreKind: r.ignore_kind,
    ignoreUntil: r.ignore_until,
    ignoreUntilEvents: r.ignore_until_events,
    eventCount: r.event_count,
    assigneeId: r.assignee_id,
    mergedInto: r.merged_into,
  }));
}

type Change = { issueId: string; action: "status" | "assign" | "merge" | "comment"; details: Record<string, unknown> };

async function logActivity(tx: Tx, actor: Actor, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.issueActivity.createMany({
    data: changes.map((c) => ({ issueId: BigInt(c.issueId), actorId: actor.id, actorName: actor.name, action: c.action, details: c.details as Prisma.InputJsonValue })),
  });
}

function ignoreDetails(state: StateColumns): Record<string, unknown> | null {
  if (state.ignoreKind === null) return null;
  return { kind: state.ignoreKind, until: state.ignoreUntil?.toISOString() ?? null, untilEvents: state.ignoreUntilEvents };
}

/** Sets the state on each issue that does not have it already; the changes to log. */
async function setStates(tx: Tx, issues: LockedIssue[], status: "open" | "resolved" | "ignored", ignore: IgnoreInput | undefined): Promise<Change[]> {
  const now = new Date();
  const changes: Change[] = [];
  for (const issue of issues) {
    const next = stateColumns(status, ignore, issue.eventCount, now);
    if (sameState(issue, next)) continue;
    await tx.issue.update({
      where: { id: BigInt(issue.id) },
      data: { status: next.status, ignoreKind: next.ignoreKind, ignoreUntil: next.ignoreUntil, ignoreUntilEvents: next.ignoreUntilEvents, statusChangedAt: now },
    });
    changes.push({ issueId: issue.id, action: "status", details: { from: issue.status, to: next.status, ignore: ignoreDetails(next) } });
  }
  return changes;
}

export type Person = { id: string; name: string | null } | null;

/**
 * For an assignment to `assigneeId` of things now assigned to `current`: who each id is, for
 * the activity log. A 400 when `assigneeId` is no user.
 */
export async function assignmentPeople(tx: Tx, assigneeId: string | null, current: (string | null)[]): Promise<(id: string | null) => Person> {
  const ids = [...new Set([assigneeId, ...current].filter((id): id is string => id !== null))];
  const users = new Map((await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  if (assigneeId !== null && !users.has(assigneeId)) {
    throw new ApiError("bad_request", "Invalid assigneeId: there is no such member.", [{ path: "assigneeId", message: "No such member" }]);
  }
  return (id) => (id === null ? null : { id, name: users.get(id) ?? null });
}

/** Assigns each issue not assigned to `assigneeId` yet; a 400 when there is no such user. */
async function setAssignee(tx: Tx, issues: LockedIssue[], assigneeId: string | null): Promise<Change[]> {
  const person = await assignmentPeople(tx, assigneeId, issues.map((i) => i.assigneeId));
  const changing = issues.filter((i) => i.assigneeId !== assigneeId);
  if (changing.length === 0) return [];
  await tx.issue.updateMany({ where: { id: { in: changing.map((i) => BigInt(i.id)) } }, data: { assigneeId } });
  return changing.map((i) => ({ issueId: i.id, action: "assign", details: { from: person(i.assigneeId), to: person(assigneeId) } }));
}

/** Changes one issue's state and/or assignee. */
export async function updateIssue(id: string, input: UpdateIssueInput, actor: Actor): Promise<void> {
  await db().$transaction(async (tx) => {
    const issues = await lockIssues(tx, [id]);
    const changes = [
      ...(input.status === undefined ? [] : await setStates(tx, issues, input.status, input.ignore)),
      ...(input.assigneeId === undefined ? [] : await setAssignee(tx, issues, input.assigneeId)),
    ];
    await logActivity(tx, actor, changes);
  });
}

/** One action on several issues, all or none (a 404 if any does not exist). Returns how many changed. */
export async function bulkUpdateIssues(input: BulkInput, actor: Actor): Promise<{ changed: number }> {
  return db().$transaction(async (tx) => {
    const issues = await lockIssues(tx, [...new Set(input.ids.map((id) => BigInt(id).toString()))]);
    let changes: Change[];
    switch (input.action) {
      case "resolve":
        changes = await setStates(tx, issues, "resolved", undefined);
        break;
      case "reopen":
        changes = await setStates(tx, issues, "open", undefined);
        break;
      case "ignore":
        changes = await setStates(tx, issues, "ignored", input.ignore);
        break;
      case "assign":
        changes = await setAssignee(tx, issues, input.assigneeId);
        break;
    }
    await logActivity(tx, actor, changes);
    return { changed: changes.length };
  });
}

/**
 * Merges `sourceId` into `targetId` (both of one website): from now on, events of the source's
 * fingerprint (and of issues merged into the source before) are counted on the target. The
 * source keeps the events it had, and its page says where it went.
 */
export async function mergeIssue(sourceId: string, targetId: string, actor: Actor): Promise<void> {
  if (BigInt(sourceId) === BigInt(targetId)) throw new ApiError("bad_request", "Invalid targetId: an issue cannot be merged into itself.");
  await db().$transaction(async (tx) => {
    const issues = await lockIssues(tx, [sourceId, targetId]);
    const source = issues.find((i) => i.id === BigInt(sourceId).toString())!;
    const target = issues.find((i) => i.id === BigInt(targetId).toString())!;
    if (source.websiteId !== target.websiteId) throw new ApiError("bad_request", "Invalid targetId: issues of different websites cannot be merged.");
    if (source.mergedInto !== null) throw new ApiError("conflict", `This issue was already merged into ${source.mergedInto}.`);
    if (target.mergedInto !== null) throw new ApiError("conflict", `Issue ${target.id} was merged into ${target.mergedInto}: merge into that one.`);
    // Issues merged into the source before now go to the target directly.
    await tx.issueMerge.updateMany({ where: { targetIssueId: BigInt(source.id) }, data: { targetIssueId: BigInt(target.id) } });
    await tx.issueMerge.create({ data: { sourceIssueId: BigInt(source.id), targetIssueId: BigInt(target.id) } });
    await logActivity(tx, actor, [
      { issueId: source.id, action: "merge", details: { into: target.id } },
      { issueId: target.id, action: "merge", details: { from: source.id } },
    ]);
  });
}

export type IssueComment = { id: string; createdAt: string; author: { id: string | null; name: string }; body: string };

export async function addComment(issueId: string, body: string, actor: Actor): Promise<IssueComment> {
  return db().$transaction(async (tx) => {
    await lockIssues(tx, [issueId]);
    const comment = await tx.issueComment.create({ data: { issueId: BigInt(issueId), authorId: actor.id, authorName: actor.name, body } });
    await logActivity(tx, actor, [{ issueId, action: "comment", details: { commentId: comment.id.toString() } }]);
    return { id: comment.id.toString(), createdAt: comment.createdAt.toISOString(), author: { id: actor.id, name: actor.name }, body };
  });
}
