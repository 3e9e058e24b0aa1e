// One evaluation of a rule (for an issue rule: of one issue), in one transaction that holds the
// rule's advisory lock, so evaluators of several instances on one database take turns: read
// the figures (window rules: from the counts tables, never the events), decide (./conditions.ts)
// and write the alert, its activity and its notifications. The change is announced after commit.
import { db } from "../db/client";
import type { PrismaClient, Prisma } from "../generated/prisma/client";
import { kickDeliveries } from "../notify/worker";
import { publishAlertChanges, type AlertChange } from "../realtime/alert-feed";
import { decide, observeWindow, SYSTEM, windowLayout, type Decision, type OpenAlert, type ResolvedAlert, type WindowRule } from "./conditions";
import { queueNotice, type NoticeAlert, type NoticeReason } from "./outbox";
import { ruleScope, WINDOW_CONDITIONS, type AlertFigures, type AlertState, type Condition, type RuleScope } from "./types";

type Tx = Prisma.TransactionClient;

/** pg_advisory_xact_lock(key1, key2) namespace of rule locks: "lsma" in ASCII. */
const RULE_LOCK_SPACE = 0x6c736d61;
const HOUR_MS = 3_600_000;
const ISSUE_SERIES_HOURS = 24;
const TOP_ISSUES = 5;

/** A window rule's counts, or one issue of an issue rule; `triggered`: its event just created or regressed the issue. */
export type EvaluationTarget = { ruleId: string; issueId: string | null; triggered: boolean };

export const isWindowCondition = (condition: string) => (WINDOW_CONDITIONS as readonly string[]).includes(condition);

type RuleRow = {
  id: string;
  website_id: string;
  website_name: string | null;
  name: string;
  condition: Condition;
  threshold: number | null;
  window_minutes: number | null;
  spike_factor: number | null;
  baseline_windows: number | null;
  scope: unknown;
  cooldown_minutes: number;
  counting_since: Date;
};

type Observation = { holds: boolean; figures: AlertFigures; title: string; issueId: string | null };

/** Takes the rule's evaluation lock until the transaction ends: evaluations and rule changes take turns. */
export async function lockRuleEvaluations(tx: Tx, ruleId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${RULE_LOCK_SPACE}::int, hashtext(${ruleId}))`;
}

async function lockRule(tx: Tx, ruleId: string): Promise<RuleRow | null> {
  await lockRuleEvaluations(tx, ruleId);
  const rows = await tx.$queryRaw<RuleRow[]>`
    SELECT r.id, r.website_id, w.name AS website_name, r.name, r.condition, r.threshold, r.window_minutes, r.spike_factor,
      r.baseline_windows, r.scope, r.cooldown_minutes, r.counting_since
    FROM alert_rules r JOIN websites w ON w.id = r.website_id
    WHERE r.id = ${ruleId} AND r.enabled`;
  return rows[0] ?? null;
}

function scopeOf(rule: RuleRow): RuleScope {
  const parsed = ruleScope.safeParse(rule.scope);
  return parsed.success ? parsed.data : {};
}

/**
 * The issues with the most events in the window, from the hourly issue rollup (whole hours, so
 * an approximation for short windows; narrowed by the scope's kinds and issue).
 */
async function topIssues(tx: Tx, rule: RuleRow, since: Date, now: Date): Promise<AlertFigures["issues"]> {
  const scope = scopeOf(rule);
  return tx.$queryRaw<AlertFigures["issues"]>`
    SELECT r.issue_id::text AS id, i.title, i.kind, sum(r.events)::int AS events
    FROM rollup_issue_1h r JOIN issues i ON i.id = r.issue_id
    WHERE r.website_id = ${rule.website_id}
      AND r.bucket >= date_bin('1 hour', ${since.toISOString()}::timestamptz, 'epoch'::timestamptz) AND r.bucket <= ${now.toISOString()}::timestamptz
      AND (${scope.kinds ?? null}::text[] IS NULL OR i.kind = ANY(${scope.kinds ?? null}::text[]))
      AND (${scope.issueId ?? null}::bigint IS NULL OR r.issue_id = ${scope.issueId ?? null}::bigint)
    GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT ${TOP_ISSUES}`;
}

function windowRule(rule: RuleRow): WindowRule {
  return {
    condition: rule.condition,
    threshold: rule.threshold,
    windowMinutes: rule.window_minutes,
    spikeFactor: rule.spike_factor,
    baselineWindows: rule.baseline_windows,
    countingSince: rule.counting_since,
  };
}

async function observeWindowRule(tx: Tx, rule: RuleRow, now: Date): Promise<Observation> {
  const shape = windowRule(rule);
  const { windowMs, windows, currentStart, seriesStart } = windowLayout(shape, now);
  // Events up to a few minutes ahead of the clock were counted too: they are in the current window.
  const rows = await tx.$queryRaw<{ k: number; n: number }[]>`
    SELECT least(floor(extract(epoch FROM minute - ${seriesStart.toISOString()}::timestamptz) * 1000 / ${windowMs})::int, ${windows - 1}::int) AS k,
      sum(events)::int AS n
    FROM alert_rule_counts WHERE rule_id = ${rule.id} AND minute >= ${seriesStart.toISOString()}::timestamptz
    GROUP BY 1`;
  const counts = Array<number>(windows).fill(0);
  for (const row of rows) counts[row.k] = row.n;
  let visitors = 0;
  if (rule.condition === "visitor_count") {
    const [row] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM alert_rule_visitors WHERE rule_id = ${rule.id} AND last_at >= ${currentStart.toISOString()}::timestamptz`;
    visitors = row?.n ?? 0;
  }
  const seen = observeWindow(shape, now, counts, visitors);
  const figures: AlertFigures = {
    condition: rule.condition,
    value: seen.value,
    threshold: seen.threshold,
    windowMinutes: rule.window_minutes,
    baseline: seen.baseline,
    factor: seen.factor,
    series: seen.series,
    issues: await topIssues(tx, rule, currentStart, now),
    evaluatedAt: now.toISOString(),
  };
  return { holds: seen.holds, figures, title: rule.name, issueId: null };
}

/** An issue rule's figures: the issue, and its events per hour over the last day. */
async function observeIssue(tx: Tx, rule: RuleRow, issueId: string, triggered: boolean, now: Date): Promise<Observation> {
  const [issue] = await tx.$queryRaw<{ title: string; kind: string; status: string; event_count: number; merged: boolean }[]>`
    SELECT i.title, i.kind, i.status, i.event_count, EXISTS (SELECT 1 FROM issue_merges m WHERE m.source_issue_id = i.id) AS merged
    FROM issues i WHERE i.id = ${issueId}::bigint`;
  const seriesStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (ISSUE_SERIES_HOURS - 1) * HOUR_MS);
  const hours = await tx.$queryRaw<{ bucket: Date; events: number }[]>`
    SELECT bucket, events FROM rollup_issue_1h
    WHERE issue_id = ${issueId}::bigint AND bucket >= ${seriesStart.toISOString()}::timestamptz AND bucket <= ${now.toISOString()}::timestamptz`;
  const byHour = new Map(hours.map((h) => [h.bucket.getTime(), h.events]));
  const series = Array.from({ length: ISSUE_SERIES_HOURS }, (_, k) => {
    const at = seriesStart.getTime() + k * HOUR_MS;
    return { at: new Date(at).toISOString(), count: byHour.get(at) ?? 0 };
  });
  const active = issue !== undefined && (issue.status === "open" || issue.status === "regressed") && !issue.merged;
  const title = issue?.title ?? `Issue ${issueId}`;
  const figures: AlertFigures = {
    condition: rule.condition,
    value: issue?.event_count ?? 0,
    threshold: 0,
    windowMinutes: null,
    baseline: null,
    factor: null,
    series,
    issues: issue ? [{ id: issueId, title: issue.title, kind: issue.kind, events: issue.event_count }] : [],
    evaluatedAt: now.toISOString(),
  };
  return { holds: triggered || active, figures, title: `${rule.condition === "new_issue" ? "New issue" : "Regression"}: ${title}`, issueId };
}

type OpenRow = {
  id: string;
  state: Exclude<AlertState, "resolved">;
  title: string;
  fired_at: Date;
  snoozed_until: Date | null;
  notified_at: Date | null;
  notice_reason: "fired" | "updated" | "resolved" | null;
  notice_value: number | null;
};

async function openAlert(tx: Tx, ruleId: string, dedupKey: string): Promise<OpenRow | null> {
  const rows = await tx.$queryRaw<OpenRow[]>`
    SELECT a.id::text AS id, a.state, a.title, a.fired_at, a.snoozed_until, a.notified_at, n.reason AS notice_reason, n.value AS notice_value
    FROM alerts a
    LEFT JOIN LATERAL (
      SELECT details->>'notice' AS reason, (details->>'value')::float8 AS value FROM alert_activity
      WHERE alert_id = a.id AND details->>'notice' IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1
    ) n ON true
    WHERE a.rule_id = ${ruleId} AND a.dedup_key = ${dedupKey} AND a.state <> 'resolved'
    FOR UPDATE OF a`;
  return rows[0] ?? null;
}

async function lastResolved(tx: Tx, ruleId: string, dedupKey: string): Promise<(ResolvedAlert & { id: string; firedAt: Date }) | null> {
  const rows = await tx.$queryRaw<{ id: string; resolved_at: Date; resolved_by: string | null; fired_at: Date }[]>`
    SELECT id::text AS id, resolved_at, resolved_by, fired_at FROM alerts
    WHERE rule_id = ${ruleId} AND dedup_key = ${dedupKey} AND state = 'resolved'
    ORDER BY resolved_at DESC LIMIT 1`;
  const row = rows[0];
  return row ? { id: row.id, resolvedAt: row.resolved_at, resolvedBy: row.resolved_by, firedAt: row.fired_at } : null;
}

const ACTIVITY: Record<Exclude<Decision["action"], "none">, string> = {
  fire: "fired",
  refire: "fired",
  update: "updated",
  reopen: "reopened",
  resolve: "resolved",
};

async function logActivity(tx: Tx, alertId: string, action: string, figures: AlertFigures, notice: NoticeReason | null, now: Date): Promise<void> {
  const details = JSON.stringify({ value: figures.value, threshold: figures.threshold, ...(notice ? { notice } : {}) });
  await tx.$executeRaw`
    INSERT INTO alert_activity (alert_id, at, actor_name, action, details)
    VALUES (${alertId}::bigint, ${now.toISOString()}::timestamptz, ${SYSTEM}, ${action}, ${details}::jsonb)`;
}

/** Inserts the alert; on a concurrent open alert of the same incident, updates that one instead. */
async function insertAlert(tx: Tx, rule: RuleRow, dedupKey: string, seen: Observation, now: Date): Promise<{ id: string; inserted: boolean; firedAt: Date }> {
  const at = now.toISOString();
  const [row] = await tx.$queryRaw<{ id: string; inserted: boolean; fired_at: Date }[]>`
    INSERT INTO alerts AS a (rule_id, website_id, dedup_key, state, title, issue_id, figures, fired_at, last_triggered_at, notified_at, trigger_count)
    VALUES (${rule.id}, ${rule.website_id}, ${dedupKey}, 'firing', ${seen.title}, ${seen.issueId}::bigint, ${JSON.stringify(seen.figures)}::jsonb,
      ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz, 1)
    ON CONFLICT (rule_id, dedup_key) WHERE state <> 'resolved' DO UPDATE SET
      figures = excluded.figures, last_triggered_at = excluded.last_triggered_at, trigger_count = a.trigger_count + 1
    RETURNING id::text AS id, xmax = 0 AS inserted, fired_at`;
  return { id: row!.id, inserted: row!.inserted, firedAt: row!.fired_at };
}

/**
 * Writes the decision on an existing alert: its new figures, state and notification time.
 * Returns the state it is left in.
 */
async function updateAlert(tx: Tx, alertId: string, decision: Decision, seen: Observation, notified: boolean, now: Date): Promise<AlertState> {
  const at = now.toISOString();
  const figures = JSON.stringify(seen.figures);
  const triggered = seen.holds ? 1 : 0;
  const [row] = await tx.$queryRaw<{ state: AlertState }[]>`
    UPDATE alerts SET
      figures = ${figures}::jsonb,
      state = CASE ${decision.action} WHEN 'resolve' THEN 'resolved' WHEN 'update' THEN state ELSE 'firing' END,
      snoozed_until = CASE WHEN ${decision.action} IN ('resolve', 'refire') THEN NULL ELSE snoozed_until END,
      resolved_at = CASE ${decision.action} WHEN 'resolve' THEN ${at}::timestamptz WHEN 'reopen' THEN NULL ELSE resolved_at END,
      resolved_by = CASE ${decision.action} WHEN 'resolve' THEN ${SYSTEM} WHEN 'reopen' THEN NULL ELSE resolved_by END,
      last_triggered_at = CASE WHEN ${triggered}::int = 1 THEN ${at}::timestamptz ELSE last_triggered_at END,
      trigger_count = trigger_count + ${triggered}::int,
      notified_at = CASE WHEN ${notified} THEN ${at}::timestamptz ELSE notified_at END
    WHERE id = ${alertId}::bigint
    RETURNING state`;
  return row!.state;
}

function noticeOf(decision: Decision): NoticeReason | null {
  switch (decision.action) {
    case "fire":
    case "refire":
      return "fired";
    case "update":
      return decision.notify ? "updated" : null;
    case "resolve":
      return decision.notify ? "resolved" : null;
    default:
      return null;
  }
}

type Evaluated = { change: AlertChange; queued: boolean } | null;

async function evaluateLocked(tx: Tx, target: EvaluationTarget, now: Date): Promise<Evaluated> {
  const rule = await lockRule(tx, target.ruleId);
  if (!rule) return null;
  const window = isWindowCondition(rule.condition);
  if (window === (target.issueId !== null)) return null;
  const dedupKey = target.issueId ?? "";
  const seen = window ? await observeWindowRule(tx, rule, now) : await observeIssue(tx, rule, target.issueId!, target.triggered, now);
  const open = await openAlert(tx, rule.id, dedupKey);
  const resolved = open ? null : await lastResolved(tx, rule.id, dedupKey);
  const openAlertInput: OpenAlert | null = open && {
    state: open.state,
    snoozedUntil: open.snoozed_until,
    notifiedAt: open.notified_at,
    lastNotice: open.notice_reason === null ? null : { reason: open.notice_reason, value: open.notice_value ?? 0 },
  };
  const decision = decide({ holds: seen.holds, value: seen.figures.value, cooldownMinutes: rule.cooldown_minutes, open: openAlertInput, lastResolved: resolved, now });
  if (decision.action === "none") return null;

  let notice = noticeOf(decision);
  let alert: { id: string; firedAt: Date; title: string; state: AlertState };
  if (decision.action === "fire") {
    const row = await insertAlert(tx, rule, dedupKey, seen, now);
    // Another evaluator's alert of the same incident: it was updated, and notified already.
    if (!row.inserted) notice = null;
    alert = { id: row.id, firedAt: row.firedAt, title: seen.title, state: "firing" };
  } else {
    // update, refire and resolve act on the open alert; reopen on the latest resolved one.
    const id = open?.id ?? resolved!.id;
    const state = await updateAlert(tx, id, decision, seen, notice !== null, now);
    alert = { id, firedAt: open?.fired_at ?? resolved!.firedAt, title: open?.title ?? seen.title, state };
  }
  if (decision.action !== "update" || notice !== null) await logActivity(tx, alert.id, ACTIVITY[decision.action], seen.figures, notice, now);
  if (notice !== null) {
    const noticeAlert: NoticeAlert = {
      id: alert.id,
      title: alert.title,
      state: alert.state,
      ruleId: rule.id,
      ruleName: rule.name,
      websiteId: rule.website_id,
      websiteName: rule.website_name,
      firedAt: alert.firedAt,
      figures: seen.figures,
    };
    await queueNotice(tx, notice, noticeAlert, now);
  }
  return { change: { alertId: alert.id, websiteId: rule.website_id, state: alert.state }, queued: notice !== null };
}

/**
 * Evaluates one rule (or one issue of an issue rule) at `now`, and announces the change to the
 * alert feed and the delivery workers after commit. Null when nothing changed (or the rule is gone or disabled).
 */
export async function evaluateRule(target: EvaluationTarget, now: Date, client: PrismaClient = db()): Promise<AlertChange | null> {
  const evaluated = await client.$transaction((tx) => evaluateLocked(tx, target, now), { maxWait: 5_000, timeout: 15_000 });
  if (!evaluated) return null;
  publishAlertChanges([evaluated.change]);
  // A notice it queued goes out now rather than at the worker's next poll.
  if (evaluated.queued) kickDeliveries();
  return evaluated.change;
}
