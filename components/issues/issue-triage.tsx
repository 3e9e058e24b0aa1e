"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Alert, useAction } from "@/components/forms";
import type { IssueSummary } from "@/lib/queries/get-issue";
import { ignoreFor } from "./triage-options";
import { IgnoreSelect, MemberOptions } from "./triage-selects";
import { StatusBadge } from "./status-badge";

type Member = { id: string; name: string };

/**
 * The issue's state, assignee and merge controls. Viewers see the state and assignee only.
 * Every change re-reads the page, so its activity log shows it at once.
 */
export function IssueTriage({ issue, members, canTriage }: { issue: IssueSummary; members: Member[]; canTriage: boolean }) {
  const router = useRouter();
  const id = useId();
  const [ignore, setIgnore] = useState("forever");
  const [target, setTarget] = useState("");
  const send = (path: string, method: string, json: unknown) => async () => {
    await apiFetch(path, { method, json });
    router.refresh();
  };
  const patch = (json: unknown) => send(`/api/issues/${issue.id}`, "PATCH", json);
  const { run, pending, error } = useAction((action: () => Promise<void>) => action());
  const closed = issue.status === "resolved" || issue.status === "ignored";

  return (
    <section className="panel triage" aria-label="Triage" aria-busy={pending}>
      <div className="triage-row">
        <span className="triage-label">State</span>
        <StatusBadge status={issue.status} />
        {issue.ignore ? <span className="muted small">{ignoreText(issue.ignore)}</span> : null}
        {canTriage ? (
          <span className="triage-actions">
            {issue.status !== "resolved" ? (
              <button type="button" className="button button-small button-primary" disabled={pending} onClick={() => run(patch({ status: "resolved" }))}>
                Resolve
              </button>
            ) : null}
            {closed || issue.status === "regressed" ? (
              <button type="button" className="button button-small button-secondary" disabled={pending} onClick={() => run(patch({ status: "open" }))}>
                Reopen
              </button>
            ) : null}
            <IgnoreSelect id={`${id}-ignore`} label="Ignore how long" value={ignore} onChange={setIgnore} disabled={pending} />
            <button
              type="button"
              className="button button-small button-secondary"
              disabled={pending}
              onClick={() => run(patch({ status: "ignored", ignore: ignoreFor(ignore, Date.now()) }))}
            >
              Ignore
            </button>
          </span>
        ) : null}
      </div>
      <div className="triage-row">
        <label htmlFor={`${id}-assignee`} className="triage-label">
          Assignee
        </label>
        {canTriage ? (
          <select
            id={`${id}-assignee`}
            className="compact-select"
            value={issue.assignee?.id ?? ""}
            disabled={pending}
            onChange={(e) => run(patch({ assigneeId: e.target.value || null }))}
          >
            <MemberOptions members={members} />
          </select>
        ) : (
          <span id={`${id}-assignee`}>{issue.assignee?.name ?? "Nobody"}</span>
        )}
      </div>
      {canTriage && issue.mergedInto === null ? (
        <form
          className="triage-row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(send(`/api/issues/${issue.id}/merge`, "POST", { targetId: target.trim() }));
          }}
        >
          <label htmlFor={`${id}-merge`} className="triage-label">
            Merge into
          </label>
          <input
            id={`${id}-merge`}
            className="compact-input"
            inputMode="numeric"
            placeholder="Issue id"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-describedby={`${id}-merge-hint`}
            required
          />
          <button type="submit" className="button button-small button-secondary" disabled={pending}>
            Merge
          </button>
          <span id={`${id}-merge-hint`} className="muted small">
            Its new events will count on that issue; these stay here.
          </span>
        </form>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </section>
  );
}

function ignoreText(ignore: NonNullable<IssueSummary["ignore"]>): string {
  if (ignore.kind === "until" && ignore.until) return `until ${new Date(ignore.until).toLocaleString()}`;
  if (ignore.kind === "events" && ignore.untilEvents !== null) return `until it has more than ${ignore.untilEvents.toLocaleString()} events`;
  return "forever";
}
