"use client";

import { useState } from "react";
import type { Erased } from "@/lib/lifecycle/erase";
import type { RetentionRun, RetentionStatus } from "@/lib/lifecycle/retention";
import { apiFetch } from "../api-client";
import { Alert, ApiForm, Field, formText, useAction } from "../forms";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { LoadState } from "./load-state";
import { Section } from "./section";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const rejected = (n: number) => count(n, "rejected delivery", "rejected deliveries");

function removedText(run: Pick<RetentionRun, "events" | "issues" | "visitors" | "rejectedDeliveries">): string {
  return [
    count(run.events, "event"),
    count(run.issues, "issue"),
    count(run.visitors, "visitor"),
    rejected(run.rejectedDeliveries),
  ].join(", ");
}

function LastRun({ run }: { run: RetentionRun | null }) {
  if (!run) return <span className="muted">Not yet (the first run is a minute after start-up)</span>;
  if (!run.finishedAt) {
    return (
      <>
        Running since <Time value={run.startedAt} relative />
      </>
    );
  }
  return (
    <>
      <Time value={run.finishedAt} relative />: removed {removedText(run)} older than <Time value={run.cutoff} />
      {run.error ? <span className="error-text"> — stopped by an error: {run.error}</span> : null}
    </>
  );
}

/** Retention (what is kept, the last run, run now) and erasing a visitor's data on request. */
export function DataSettings() {
  const { data, error, loading, reload } = useApiData<RetentionStatus>("/api/retention");
  const runNow = useAction(async () => {
    await apiFetch("/api/retention/run", { method: "POST" });
    reload();
  });
  const [erased, setErased] = useState<Erased | null>(null);

  return (
    <>
      <Section
        title="Retention"
        description="Events older than the retention period are removed every hour, with their counts in every chart and list, and so are rejected deliveries. Set it with RETENTION_DAYS."
        actions={
          <button type="button" className="button button-secondary" disabled={runNow.pending} onClick={() => void runNow.run()}>
            {runNow.pending ? "Running…" : "Run now"}
          </button>
        }
      >
        {runNow.error ? <Alert>{runNow.error}</Alert> : null}
        <div className="card">
          <LoadState loading={loading && !data} error={error} reload={reload} what="retention status">
            {data ? (
              <dl className="details" aria-label="Retention">
                <dt>Kept</dt>
                <dd data-field="retention-days">{count(data.retentionDays, "day")}</dd>
                <dt>Oldest event kept</dt>
                <dd data-field="oldest-event">
                  <Time value={data.oldestEvent} empty="No events" />
                </dd>
                <dt>Last run</dt>
                <dd data-field="last-run">
                  <LastRun run={data.lastRun} />
                </dd>
              </dl>
            ) : null}
          </LoadState>
        </div>
      </Section>

      <Section
        title="Erase a visitor's data"
        description="On a person's request: removes their events, their visitor profile, their share of every count, and rejected deliveries that mention them, on every website. It cannot be undone; if they visit again, they are recorded again."
      >
        <div className="card">
          {erased ? (
            <Alert kind="success">
              {erased.visitors === 0 && erased.rejectedDeliveries === 0
                ? "No visitor or delivery matched."
                : `Erased ${count(erased.visitors, "visitor")}, ${count(erased.events, "event")} and ${rejected(erased.rejectedDeliveries)}.`}
            </Alert>
          ) : null}
          <ApiForm
            aria-label="Erase a visitor's data"
            submitLabel="Erase their data"
            pendingLabel="Erasing…"
            resetOnSuccess
            onSubmit={async (form) => {
              const value = formText(form, "who");
              const body = value.includes("@") ? { email: value } : { visitorId: value };
              setErased(await apiFetch<Erased>("/api/visitors/erase", { method: "POST", json: body }));
            }}
          >
            <Field label="Visitor id or email" name="who" required maxLength={320} autoComplete="off" />
            <p className="small">
              <label>
                <input type="checkbox" name="confirm" required /> I understand this cannot be undone
              </label>
            </p>
          </ApiForm>
        </div>
      </Section>
    </>
  );
}
