import { ApiError } from "../api/errors";
import { alertId } from "../alerts/triage";
import { getRule, type RuleView } from "../alerts/rules";
import { db } from "../db/client";
import type { IssueStatus } from "../issues/states";
import { shownStatusSql } from "../issues/sql";
import { ALERT_SELECT, alertItem, type AlertListItem, type AlertRow } from "./get-alerts";

export type AlertIssue = { id: string; title: string; kind: string; events: number; status: IssueStatus | null };

export type AlertActivityEntry = { id: string; at: string; actor: { id: string | null; name: string }; action: string; details: Record<string, unknown> };

export type AlertDelivery = {
  id: string;
  channel: { id: string; name: string; type: string };
  reason: string;
  status: string;
  attempts: { at: string; ok: boolean; statusCode: number | null; error: string | null; durationMs: number }[];
  createdAt: string;
};

export type AlertDetail = AlertListItem & { rule: RuleView; issues: AlertIssue[]; activity: AlertActivityEntry[]; deliveries: AlertDelivery[] };

/** The alert with its rule, the issues it names (with their current state), its activity and its deliveries; null when there is none. */
export async function findAlert(id: string): Promise<AlertDetail | null> {
  if (!alertId.safeParse(id).success) return null;
  const [row] = await db().$queryRaw<AlertRow[]>`${ALERT_SELECT} WHERE a.id = ${id}::bigint`;
  if (!row) return null;
  const item = alertItem(row);
  const named = [...item.figures.issues];
  if (item.issueId !== null && !named.some((i) => i.id === item.issueId)) named.unshift({ id: item.issueId, title: item.title, kind: "", events: 0 });
  const ids = named.map((i) => i.id);
  const [rule, statuses, activity, deliveries] = await Promise.all([
    getRule(item.rule.id),
    db().$queryRaw<{ id: string; status: IssueStatus }[]>`
      SELECT i.id::text AS id, ${shownStatusSql("i")} AS status FROM issues i WHERE i.id = ANY(${ids}::bigint[])`,
    db().$queryRaw<{ id: string; at: Date; actor_id: string | null; actor_name: string; action: string; details: Record<string, unknown> }[]>`
      SELECT a.id::text AS id, a.at, a.actor_id, coalesce(u.name, a.actor_name) AS actor_name, a.action, a.details
      FROM alert_activity a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.alert_id = ${id}::bigint ORDER BY a.at, a.id`,
    db().notificationDelivery.findMany({
      where: { alertId: BigInt(id) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { channel: { select: { id: true, name: true, type: true } }, attemptLog: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
    }),
  ]);
  const status = new Map(statuses.map((s) => [s.id, s.status]));
  return {
    ...item,
    rule,
    issues: named.map((i) => ({ ...i, status: status.get(i.id) ?? null })),
    activity: activity.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: { id: a.actor_id, name: a.actor_name }, action: a.action, details: a.details })),
    deliveries: deliveries.map((d) => ({
      id: d.id.toString(),
      channel: d.channel,
      reason: d.reason,
      status: d.status,
      createdAt: d.createdAt.toISOString(),
      attempts: d.attemptLog.map((t) => ({ at: t.at.toISOString(), ok: t.ok, statusCode: t.statusCode, error: t.error, durationMs: t.durationMs })),
    })),
  };
}

export async function getAlert(id: string): Promise<AlertDetail> {
  const alert = await findAlert(id);
  if (!alert) throw new ApiError("not_found", "No such alert.");
  return alert;
}
