import { z } from "zod";
import { ApiError } from "../api/errors";
import { issueIdParam } from "../api/params";
import { MAX_COMMENT_LENGTH } from "./limits";

// An issue's state and the rules for changing it by hand. Ingest's own changes (a resolved
// issue regresses; an expired ignore opens again) are made in SQL, in lib/ingest/store.ts.

export const ISSUE_STATUSES = ["open", "resolved", "ignored", "regressed"] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** What a person may set: "regressed" is only ever set by ingest. */
export const SETTABLE_STATUSES = ["open", "resolved", "ignored"] as const;

/** Limits of the ignore options: at most a year ahead, at most a billion more events. */
const MAX_IGNORE_DAYS = 366;
const MAX_IGNORE_EVENTS = 1_000_000_000;

/** How long an ignore lasts: for good, until a time, or until N more events. */
export const ignoreInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("forever") }),
  z.object({ kind: z.literal("until"), until: z.iso.datetime({ offset: true }) }),
  z.object({ kind: z.literal("events"), events: z.number().int().min(1).max(MAX_IGNORE_EVENTS) }),
]);
export type IgnoreInput = z.infer<typeof ignoreInput>;

/** A user id, or null for nobody. */
/** A member to assign to, or null for nobody. */
export const assigneeId = z.string().min(1).max(255).nullable();

/** A state change: `ignore` goes with (and only with) status "ignored". */
const statusChange = z
  .object({ status: z.enum(SETTABLE_STATUSES).optional(), ignore: ignoreInput.optional() })
  .refine((c) => (c.status === "ignored") === (c.ignore !== undefined), {
    message: 'ignore is required with status "ignored", and only with it',
    path: ["ignore"],
  });

/** PATCH /api/issues/:id: a state change, an assignee, or both. */
export const updateIssueBody = z
  .intersection(statusChange, z.object({ assigneeId: assigneeId.optional() }))
  .refine((c) => c.status !== undefined || c.assigneeId !== undefined, { message: "Send status (with ignore) or assigneeId" });
export type UpdateIssueInput = z.infer<typeof updateIssueBody>;

export const MAX_BULK_ISSUES = 100;
const bulkIds = z.array(issueIdParam).min(1).max(MAX_BULK_ISSUES);

/** POST /api/issues/bulk: one action on up to 100 issues. */
export const bulkBody = z.discriminatedUnion("action", [
  z.object({ ids: bulkIds, action: z.literal("resolve") }),
  z.object({ ids: bulkIds, action: z.literal("reopen") }),
  z.object({ ids: bulkIds, action: z.literal("ignore"), ignore: ignoreInput }),
  z.object({ ids: bulkIds, action: z.literal("assign"), assigneeId }),
]);
export type BulkInput = z.infer<typeof bulkBody>;

export const mergeBody = z.object({ targetId: issueIdParam });

export const commentBody = z.object({ body: z.string().trim().min(1, "Write something").max(MAX_COMMENT_LENGTH) });

/** The stored columns of a state. */
export type StateColumns = {
  status: IssueStatus;
  ignoreKind: IgnoreInput["kind"] | null;
  ignoreUntil: Date | null;
  ignoreUntilEvents: number | null;
};

/**
 * The columns for setting `status` (with `ignore`) on an issue that has `eventCount` events,
 * at `now`. "Ignore until N more events" is stored as the count to exceed. An ignore whose
 * time has already passed is refused.
 */
export function stateColumns(status: (typeof SETTABLE_STATUSES)[number], ignore: IgnoreInput | undefined, eventCount: number, now: Date): StateColumns {
  if (status !== "ignored") return { status, ignoreKind: null, ignoreUntil: null, ignoreUntilEvents: null };
  if (!ignore) throw new ApiError("bad_request", 'Ignoring needs an ignore option ("forever", "until" or "events").');
  switch (ignore.kind) {
    case "forever":
      return { status, ignoreKind: "forever", ignoreUntil: null, ignoreUntilEvents: null };
    case "until": {
      const until = new Date(ignore.until);
      if (until.getTime() <= now.getTime()) throw new ApiError("bad_request", "Invalid ignore.until: it must be in the future.");
      if (until.getTime() > now.getTime() + MAX_IGNORE_DAYS * 86_400_000) {
        throw new ApiError("bad_request", `Invalid ignore.until: at most ${MAX_IGNORE_DAYS} days ahead.`);
      }
      return { status, ignoreKind: "until", ignoreUntil: until, ignoreUntilEvents: null };
    }
    case "events":
      return { status, ignoreKind: "events", ignoreUntil: null, ignoreUntilEvents: eventCount + ignore.events };
  }
}

/** Whether setting `next` changes anything about the state `current`. */
export function sameState(current: StateColumns, next: StateColumns): boolean {
  return (
    current.status === next.status &&
    current.ignoreKind === next.ignoreKind &&
    (current.ignoreUntil?.getTime() ?? null) === (next.ignoreUntil?.getTime() ?? null) &&
    current.ignoreUntilEvents === next.ignoreUntilEvents
  );
}
