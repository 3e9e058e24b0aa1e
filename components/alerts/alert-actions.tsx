"use client";

import Link from "next/link";
import { useId, useState } from "react";
import type { AlertListItem } from "@/lib/queries/get-alerts";
import { apiFetch } from "../api-client";
import { InlineError, useAction } from "../forms";
import { AssigneeSelect } from "../issues/triage-selects";
import { SNOOZE_HOURS, snoozeUntil } from "./describe";

export type Member = { id: string; name: string };

/** The change an action sends (PATCH /api/alerts/:id, or with ids to /api/alerts/bulk). */
export type AlertChangeBody = { action: "acknowledge" | "resolve" | "unsnooze" } | { action: "snooze"; until: string } | { assigneeId: string | null };

/** The issue an alert is about, or the one with the most events in its window. */
export function mainIssue(alert: AlertListItem): string | null {
  return alert.issueId ?? alert.figures.issues[0]?.id ?? null;
}

/**
 * One alert's actions: acknowledge, snooze (1 h / 8 h / 24 h) or unsnooze, resolve, assign,
 * and a link to its issue. `onChanged` re-reads what the page shows.
 */
export function AlertActions({ alert, members, onChanged, label }: { alert: AlertListItem; members: Member[]; onChanged: () => void; label: string }) {
  const id = useId();
  // Chosen, then applied with the button: arrow keys on a closed select change its value.
  const [snoozeHours, setSnoozeHours] = useState<string>(String(SNOOZE_HOURS[0]));
  const { run, pending, error } = useAction(async (body: AlertChangeBody) => {
    await apiFetch(`/api/alerts/${alert.id}`, { method: "PATCH", json: body });
    onChanged();
  });
  const open = alert.state !== "resolved";
  const issue = mainIssue(alert);
  return (
    <div className="alert-actions" role="group" aria-label={`Actions for ${label}`} aria-busy={pending}>
      {open && alert.state !== "acknowledged" ? (
        <button type="button" className="button button-small button-secondary" disabled={pending} onClick={() => void run({ action: "acknowledge" })}>
          Acknowledge
        </button>
      ) : null}
      {alert.state === "snoozed" ? (
        <button type="button" className="button button-small button-secondary" disabled={pending} onClick={() => void run({ action: "unsnooze" })}>
          Unsnooze
        </button>
      ) : null}
      {open ? (
        <>
          <label htmlFor={`${id}-snooze`} className="sr-only">
            Snooze for
          </label>
          <select id={`${id}-snooze`} className="compact-select" value={snoozeHours} disabled={pending} onChange={(e) => setSnoozeHours(e.target.value)}>
            {SNOOZE_HOURS.map((hours) => (
              <option key={hours} value={hours}>
                For {hours} {hours === 1 ? "hour" : "hours"}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={pending}
            onClick={() => void run({ action: "snooze", until: snoozeUntil(Number(snoozeHours), Date.now()) })}
          >
            Snooze
          </button>
          <button type="button" className="button button-small button-secondary" disabled={pending} onClick={() => void run({ action: "resolve" })}>
            Resolve
          </button>
        </>
      ) : null}
      <AssigneeSelect
        id={`${id}-assignee`}
        label="Assignee"
        value={alert.assignee?.id ?? ""}
        disabled={pending}
        onChange={(value) => void run({ assigneeId: value || null })}
        members={members}
      />
      {issue ? (
        <Link href={`/issues/${issue}?website=${encodeURIComponent(alert.website.id)}`} className="button button-small button-secondary">
          Open issue
        </Link>
      ) : null}
      <InlineError message={error} />
    </div>
  );
}
