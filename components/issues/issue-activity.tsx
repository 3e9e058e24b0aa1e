import type { ActivityEntry } from "@/lib/queries/get-issue-activity";
import type { IssueComment } from "@/lib/issues/triage";
import { STATUS_LABELS } from "./status-badge";
import type { IssueStatus } from "@/lib/issues/states";

type Person = { id: string; name: string | null } | null;

/** What an activity entry did, in words (names and texts are rendered as text, escaped). */
function describe(entry: ActivityEntry, issueHref: (id: string) => string) {
  const d = entry.details;
  switch (entry.action) {
    case "status": {
      const to = STATUS_LABELS[d.to as IssueStatus] ?? String(d.to);
      const from = STATUS_LABELS[d.from as IssueStatus] ?? String(d.from);
      return (
        <>
          changed the state from {from} to <strong>{to}</strong>
          {entry.actor.id === null && entry.actor.name === "system" ? " (a new event arrived)" : null}
        </>
      );
    }
    case "assign": {
      const to = d.to as Person;
      return to ? (
        <>
          assigned it to <strong>{to.name ?? "a removed member"}</strong>
        </>
      ) : (
        <>removed the assignee</>
      );
    }
    case "merge":
      return typeof d.into === "string" ? (
        <>
          merged it into <a href={issueHref(d.into)}>issue {d.into}</a>
        </>
      ) : (
        <>
          merged <a href={issueHref(String(d.from))}>issue {String(d.from)}</a> into it
        </>
      );
    case "comment":
      return <>commented</>;
  }
}

/** The issue's activity log, oldest first. */
export function ActivityList({ activity, timeZone, issueHref }: { activity: ActivityEntry[]; timeZone: string; issueHref: (id: string) => string }) {
  if (activity.length === 0) {
    return (
      <div className="empty empty-compact">
        <p>No changes yet.</p>
      </div>
    );
  }
  const exact = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <ol className="activity-list">
      {activity.map((entry) => (
        <li key={entry.id} data-action={entry.action}>
          <time dateTime={entry.at}>{exact.format(new Date(entry.at))}</time> <strong>{entry.actor.name}</strong> {describe(entry, issueHref)}
        </li>
      ))}
    </ol>
  );
}

/** The issue's comments, oldest first; texts as sent, escaped. */
export function CommentList({ comments, timeZone }: { comments: IssueComment[]; timeZone: string }) {
  if (comments.length === 0) return <p className="muted small">No comments yet.</p>;
  const exact = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <ol className="comment-list">
      {comments.map((c) => (
        <li key={c.id} className="comment">
          <p className="comment-meta">
            <strong>{c.author.name}</strong> · <time dateTime={c.createdAt}>{exact.format(new Date(c.createdAt))}</time>
          </p>
          <p className="comment-body">{c.body}</p>
        </li>
      ))}
    </ol>
  );
}
