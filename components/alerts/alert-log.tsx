"use client";

import type { AlertActivityEntry, AlertDelivery } from "@/lib/queries/get-alert";
import { Time } from "../time";
import { STATE_LABELS } from "./describe";
import type { AlertState } from "@/lib/alerts/types";

type Person = { id: string; name: string | null } | null;

/** What an activity entry did, in words. */
function describe(entry: AlertActivityEntry) {
  const d = entry.details;
  switch (entry.action) {
    case "assigned": {
      const to = d.to as Person;
      return to ? (
        <>
          assigned it to <strong>{to.name ?? "a removed member"}</strong>
        </>
      ) : (
        <>removed the assignee</>
      );
    }
    case "snoozed":
      return (
        <>
          snoozed it until <Time value={String(d.until)} />
        </>
      );
    case "unsnoozed":
      return <>unsnoozed it</>;
    case "resolved":
      return typeof d.reason === "string" ? <>resolved it: {d.reason}</> : <>resolved it</>;
    default: {
      const state = STATE_LABELS[entry.action as AlertState];
      return state ? <>{state.toLowerCase()} it</> : <>{entry.action}</>;
    }
  }
}

/** The alert's activity log, oldest first. */
export function AlertActivityList({ activity }: { activity: AlertActivityEntry[] }) {
  if (activity.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <ol className="alert-log">
      {activity.map((entry) => (
        <li key={entry.id} data-action={entry.action}>
          <Time value={entry.at} /> · <strong>{entry.actor.name}</strong> {describe(entry)}
        </li>
      ))}
    </ol>
  );
}

/** Each notification of the alert: channel, why, where it stands, and every attempt. */
export function DeliveryLog({ deliveries }: { deliveries: AlertDelivery[] }) {
  if (deliveries.length === 0) return <p className="muted">No notifications were sent for this alert.</p>;
  return (
    <ol className="alert-log">
      {deliveries.map((d) => (
        <li key={d.id} className="delivery" data-delivery-id={d.id}>
          <div>
            <strong>{d.channel.name}</strong> <span className="muted">({d.channel.type})</span> · {d.reason} ·{" "}
            <span className={`delivery-status-${d.status}`}>{d.status}</span> · queued <Time value={d.createdAt} relative />
          </div>
          {d.attempts.length > 0 ? (
            <ul className="delivery-attempts">
              {d.attempts.map((a, i) => (
                <li key={i}>
                  <Time value={a.at} /> · {a.ok ? "ok" : "failed"}
                  {a.statusCode !== null ? ` · ${a.statusCode}` : ""} · {a.durationMs} ms
                  {a.error ? <span className="wrap-anywhere"> · {a.error}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">Not attempted yet.</p>
          )}
        </li>
      ))}
    </ol>
  );
}
