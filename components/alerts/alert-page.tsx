"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import type { AlertDetail } from "@/lib/queries/get-alert";
import { LiveStatusBadge } from "../live/live-status";
import { LoadState } from "../settings/load-state";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { AlertActions, type Member } from "./alert-actions";
import { AlertChart } from "./alert-chart";
import { AlertActivityList, DeliveryLog } from "./alert-log";
import { AlertStateBadge } from "./alert-state-badge";
import { alertWhy, CONDITION_LABELS, windowLabel } from "./describe";
import { useAlertFeed } from "./use-alert-feed";

/** One alert: what fired and why, its chart, issues, actions, activity and deliveries; live. */
export function AlertPage({ id, members, canTriage }: { id: string; members: Member[]; canTriage: boolean }) {
  const router = useRouter();
  const { data, error, loading, reload } = useApiData<{ alert: AlertDetail }>(`/api/alerts/${id}`);
  const refresh = useCallback(() => {
    reload();
    router.refresh();
  }, [reload, router]);
  const status = useAlertFeed(refresh);
  const alert = data?.alert;

  return (
    <>
      <p className="breadcrumb">
        <Link href="/alerts">← Alerts</Link>
      </p>
      <div className="section-head alerts-head">
        <h1 className="wrap-anywhere">{alert?.title ?? "Alert"}</h1>
        <LiveStatusBadge status={status} title="Updates as the alert changes" />
      </div>
      <LoadState loading={loading && !data} error={error} reload={reload} what="alert">
        {alert ? (
          <>
            <section className="panel alert-summary" aria-label="Summary" data-alert-state={alert.state}>
              <div className="alert-title-row">
                <AlertStateBadge state={alert.state} />
                <span className="alert-why">{alertWhy(alert.figures)}</span>
              </div>
              <p className="muted small alert-meta">
                Rule <strong>{alert.rule.name}</strong> ({CONDITION_LABELS[alert.rule.condition]}) on {alert.website.name ?? alert.website.id} · fired{" "}
                <Time value={alert.firedAt} relative /> · last triggered <Time value={alert.lastTriggeredAt} relative /> ({alert.triggerCount}{" "}
                {alert.triggerCount === 1 ? "time" : "times"})
                {alert.state === "snoozed" ? (
                  <>
                    {" "}
                    · snoozed until <Time value={alert.snoozedUntil} />
                  </>
                ) : null}
                {alert.state === "resolved" ? (
                  <>
                    {" "}
                    · resolved <Time value={alert.resolvedAt} relative /> by {alert.resolvedBy}
                  </>
                ) : null}
                {" · "}
                <span className="alert-assignee">{alert.assignee ? `assigned to ${alert.assignee.name}` : "unassigned"}</span>
              </p>
              {canTriage ? <AlertActions alert={alert} members={members} onChanged={refresh} label={alert.title} /> : null}
            </section>
            {alert.figures.series.length > 0 ? (
              <section className="panel alert-chart" aria-label="Chart">
                <h2 className="panel-title">{alert.figures.windowMinutes ? `Count per ${windowLabel(alert.figures.windowMinutes)}` : "Events per hour"}</h2>
                <AlertChart figures={alert.figures} />
              </section>
            ) : null}
            <div className="triage-grid">
              <section className="panel" aria-label="Issues">
                <h2 className="section-title">Issues</h2>
                {alert.issues.length === 0 ? (
                  <p className="muted">No issue is named by this alert.</p>
                ) : (
                  <ul className="alert-log">
                    {alert.issues.map((issue) => (
                      <li key={issue.id}>
                        {issue.status === null ? (
                          <span className="wrap-anywhere">{issue.title}</span>
                        ) : (
                          <Link href={`/issues/${issue.id}?website=${encodeURIComponent(alert.website.id)}`} className="wrap-anywhere">
                            {issue.title}
                          </Link>
                        )}{" "}
                        <span className="muted small">
                          {issue.kind ? `${issue.kind} · ` : ""}
                          {issue.events > 0 ? `${issue.events} in the window · ` : ""}
                          {issue.status ?? "gone"}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section className="panel" aria-label="Activity">
                <h2 className="section-title">Activity</h2>
                <AlertActivityList activity={alert.activity} />
              </section>
              <section className="panel" aria-label="Deliveries">
                <h2 className="section-title">Notifications</h2>
                <DeliveryLog deliveries={alert.deliveries} />
              </section>
            </div>
          </>
        ) : null}
      </LoadState>
    </>
  );
}
