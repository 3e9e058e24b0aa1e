// Triage verbs for alerts: acknowledge, snooze, unsnooze, resolve, assign (one alert or many).
// Each runs in a transaction that locks the alerts' rows (the evaluator updates them too),
// logs every change in alert_activity, and announces the changes once committed.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { assigneeId } from "../issues/states";
import { assignmentPeople, type Actor } from "../issues/triage";
import { publishAlertChanges, type AlertChange } from "../realtime/alert-feed";
import type { AlertState } from "./types";

type Tx = Prisma.TransactionClient;

/** A snooze lasts at most this long. */
export const MAX_SNOOZE_DAYS = 30;

/** An alert id: a positive 64-bit integer in decimal. */
export const alertId = z
  .string()
  .refine((id) => /^\d{1,19}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n, "Expected an alert id");

/** What PATCH /api/alerts/:id (and each bulk item) may do. */
const alertAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("acknowledge") }),
  z.object({ action: z.literal("resolve") }),
  z.object({ action: z.literal("unsnooze") }),
  z.object({ action: z.literal("snooze"), until: z.iso.datetime({ offset: true }) }),
]);

export const alertChangeBody = z.union([alertAction, z.object({ assigneeId })], {
  error: 'Send { action: "acknowledge" | "resolve" | "unsnooze" }, { action: "snooze", until }, or { assigneeId }',
});
export type AlertChangeInput = z.infer<typeof alertChangeBody>;

export const MAX_BULK_ALERTS = 100;

/** POST /api/alerts/bulk: one change on up to 100 alerts. */
export const alertBulkBody = z.intersection(z.object({ ids: z.array(alertId).min(1).max(MAX_BULK_ALERTS) }), alertChangeBody);

type LockedAlert = { id: string; websiteId: string; state: AlertState; assigneeId: string | null };

/** Locks the alerts' rows in id order; a 404 naming the first id that does not exist. */
async function lockAlerts(tx: Tx, ids: string[]): Promise<LockedAlert[]> {
  const rows = await tx.$queryRaw<{ id: string; website_id: string; state: AlertState; assignee_id: string | null }[]>`
    SELECT id::text AS id, website_id, state, assignee_id FROM alerts WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`;
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new ApiError("not_found", `No alert ${missing}.`);
  return rows.map((r) => ({ id: r.id, websiteId: r.website_id, state: r.state, assigneeId: r.assignee_id }));
}

type Logged = { alert: LockedAlert; state: AlertState; action: string; details: Record<string, unknown> };

function snoozeUntil(text: string, now: Date): Date {
  const until = new Date(text);
  if (until.getTime() <= now.getTime()) throw new ApiError("bad_request", "Invalid until: it must be in the future.", [{ path: "until", message: "Must be in the future" }]);
  if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) {
    throw new ApiError("bad_request", `Invalid until: at most ${MAX_SNOOZE_DAYS} days ahead.`, [{ path: "until", message: `At most ${MAX_SNOOZE_DAYS} days ahead` }]);
  }
  return until;
}

/**
 * Applies a state action to each alert it fits (a resolved alert takes none; acknowledging an
 * acknowledged one or unsnoozing one that is not snoozed changes nothing).
 */
async function setStates(tx: Tx, alerts: LockedAlert[], input: z.infer<typeof alertAction>, actor: Actor): Promise<Logged[]> {
  const now = new Date();
  const until = input.action === "snooze" ? snoozeUntil(input.until, now) : null;
  const logged: Logged[] = [];
  for (const alert of alerts) {
    if (alert.state === "resolved") continue;
    let data: Prisma.AlertUpdateInput;
    let details: Record<string, unknown> = { from: alert.state };
    let action: string;
    switch (input.action) {
      case "acknowledge":
        if (alert.state === "acknowledged") continue;
        data = { state: "acknowledged", snoozedUntil: null };
        action = "acknowledged";
        break;
      case "snooze":
        data = { state: "snoozed", snoozedUntil: until };
        details = { ...details, until: until!.toISOString() };
        action = "snoozed";
        break;
      case "unsnooze":
        if (alert.state !== "snoozed") continue;
        data = { state: "firing", snoozedUntil: null };
        action = "unsnoozed";
        break;
      case "resolve":
        data = { state: "resolved", snoozedUntil: null, resolvedAt: now, resolvedBy: actor.name };
        action = "resolved";
        break;
    }
    await tx.alert.update({ where: { id: BigInt(alert.id) }, data });
    logged.push({ alert, state: data.state as AlertState, action, details });
  }
  return logged;
}

/** Assigns each alert not assigned to `assigneeId` yet; a 400 when there is no such user. */
async function setAssignee(tx: Tx, alerts: LockedAlert[], assigneeId: string | null): Promise<Logged[]> {
  const person = await assignmentPeople(tx, assigneeId, alerts.map((a) => a.assigneeId));
  const changing = alerts.filter((a) => a.assigneeId !== assigneeId);
  if (changing.length > 0) await tx.alert.updateMany({ where: { id: { in: changing.map((a) => BigInt(a.id)) } }, data: { assigneeId } });
  return changing.map((alert) => ({ alert, state: alert.state, action: "assigned", details: { from: person(alert.assigneeId), to: person(assigneeId) } }));
}

/** Logs each change in alert_activity as `actor`. */
async function logChanges(tx: Tx, changes: Logged[], actor: Actor): Promise<void> {
  if (changes.length === 0) return;
  await tx.alertActivity.createMany({
    data: changes.map((l) => ({ alertId: BigInt(l.alert.id), actorId: actor.id, actorName: actor.name, action: l.action, details: l.details as Prisma.InputJsonValue })),
  });
}

const announced = (changes: Logged[]): AlertChange[] => changes.map((l) => ({ alertId: l.alert.id, websiteId: l.alert.websiteId, state: l.state }));

/**
 * Resolves the open alerts among `ids` in `tx` as `actor`, with `reason` in each one's activity
 * (no notification, as any member's resolve). Returns the changes to announce once committed.
 */
export async function resolveAlertsIn(tx: Tx, ids: string[], actor: Actor, reason: string): Promise<AlertChange[]> {
  if (ids.length === 0) return [];
  const changes = await setStates(tx, await lockAlerts(tx, ids), { action: "resolve" }, actor);
  for (const change of changes) change.details = { ...change.details, reason };
  await logChanges(tx, changes, actor);
  return announced(changes);
}

/**
 * One change on the alerts with these ids, all or none (a 404 if any does not exist). With
 * `strict`, a state action on a resolved alert is a 409 (one alert: the caller asked for it).
 * Returns how many alerts changed.
 */
async function changeAlerts(ids: string[], input: AlertChangeInput, actor: Actor, strict: boolean): Promise<{ changed: number }> {
  const logged = await db().$transaction(async (tx) => {
    const alerts = await lockAlerts(tx, [...new Set(ids.map((id) => BigInt(id).toString()))]);
    let changes: Logged[];
    if ("assigneeId" in input) changes = await setAssignee(tx, alerts, input.assigneeId);
    else if (strict && alerts.some((a) => a.state === "resolved")) throw new ApiError("conflict", "This alert is resolved; a new incident fires a new alert.");
    else changes = await setStates(tx, alerts, input, actor);
    await logChanges(tx, changes, actor);
    return changes;
  });
  publishAlertChanges(announced(logged));
  return { changed: logged.length };
}

export async function updateAlert(id: string, input: AlertChangeInput, actor: Actor): Promise<void> {
  await changeAlerts([id], input, actor, true);
}

export async function bulkUpdateAlerts(input: z.infer<typeof alertBulkBody>, actor: Actor): Promise<{ changed: number }> {
  const { ids, ...change } = input;
  return changeAlerts(ids, change as AlertChangeInput, actor, false);
}
