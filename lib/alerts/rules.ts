// Alert rules: what admins write (lib/alerts/types.ts ruleInput) and what the settings page and
// the evaluator read. Every change bumps the rules version, so this instance's evaluator
// reloads its rules at once.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import type { AlertRule, Prisma } from "../generated/prisma/client";
import type { Actor } from "../issues/triage";
import { publishAlertChanges, type AlertChange } from "../realtime/alert-feed";
import { isWindowCondition, lockRuleEvaluations } from "./evaluator";
import { resolveAlertsIn } from "./triage";
import { rulesChanged } from "./rules-version";
import { ruleInput, ruleScope, type Condition, type RuleInput, type RuleScope } from "./types";

export type RuleView = {
  id: string;
  websiteId: string;
  name: string;
  condition: Condition;
  threshold: number | null;
  windowMinutes: number | null;
  spikeFactor: number | null;
  baselineWindows: number | null;
  scope: RuleScope;
  cooldownMinutes: number;
  enabled: boolean;
  channelIds: string[];
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
};

/** GET /api/alert-rules: every rule, or one website's. */
export const rulesQuery = z.object({ websiteId: z.string().min(1).max(255).optional() });

/** PATCH /api/alert-rules/:id: any fields of a rule; the merged rule is validated as a whole. */
export const ruleChangeBody = z.record(z.string(), z.unknown());

const include = { channels: { select: { channelId: true } }, createdBy: { select: { id: true, name: true } } } as const;
type RuleRow = AlertRule & { channels: { channelId: string }[]; createdBy: { id: string; name: string } | null };

function ruleView(rule: RuleRow): RuleView {
  return {
    id: rule.id,
    websiteId: rule.websiteId,
    name: rule.name,
    condition: rule.condition as Condition,
    threshold: rule.threshold,
    windowMinutes: rule.windowMinutes,
    spikeFactor: rule.spikeFactor,
    baselineWindows: rule.baselineWindows,
    scope: rule.scope as RuleScope,
    cooldownMinutes: rule.cooldownMinutes,
    enabled: rule.enabled,
    channelIds: rule.channels.map((c) => c.channelId).sort(),
    createdBy: rule.createdBy,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** Rules by name (of one website, or all). */
export async function listRules(websiteId?: string): Promise<RuleView[]> {
  const rules = await db().alertRule.findMany({ where: websiteId ? { websiteId } : {}, include, orderBy: [{ name: "asc" }, { id: "asc" }] });
  return rules.map(ruleView);
}

export async function getRule(id: string): Promise<RuleView> {
  const rule = await db().alertRule.findUnique({ where: { id }, include });
  if (!rule) throw new ApiError("not_found", "No such alert rule.");
  return ruleView(rule);
}

/** The stored columns of a validated rule; a 404 for an unknown website, a 400 for an unknown channel. */
async function columns(tx: Prisma.TransactionClient, input: RuleInput) {
  const website = await tx.website.findUnique({ where: { id: input.websiteId }, select: { id: true } });
  if (!website) throw new ApiError("not_found", `No website ${input.websiteId}.`);
  const channelIds = [...new Set(input.channelIds)];
  const found = new Set((await tx.notificationChannel.findMany({ where: { id: { in: channelIds } }, select: { id: true } })).map((c) => c.id));
  const missing = channelIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError("bad_request", `Invalid channelIds: there is no channel ${missing.join(", ")}.`, [{ path: "channelIds", message: "No such channel" }]);
  }
  // Fields another condition needs are not kept: the rule reads the same as its form.
  const windowed = isWindowCondition(input.condition);
  const spike = input.condition === "spike";
  return {
    data: {
      websiteId: input.websiteId,
      name: input.name,
      condition: input.condition,
      threshold: windowed ? (input.threshold ?? null) : null,
      windowMinutes: windowed ? (input.windowMinutes ?? null) : null,
      spikeFactor: spike ? (input.spikeFactor ?? null) : null,
      baselineWindows: spike ? (input.baselineWindows ?? null) : null,
      scope: input.scope as Prisma.InputJsonValue,
      cooldownMinutes: input.cooldownMinutes,
      enabled: input.enabled,
    },
    channelIds,
  };
}

export async function createRule(input: RuleInput, createdById: string | null): Promise<RuleView> {
  const rule = await db().$transaction(async (tx) => {
    const { data, channelIds } = await columns(tx, input);
    return tx.alertRule.create({ data: { ...data, createdById, channels: { create: channelIds.map((channelId) => ({ channelId })) } }, include });
  });
  rulesChanged();
  return ruleView(rule);
}

/** The rule as an admin would write it again: the base a partial change is merged onto. */
function asInput(rule: RuleView): Record<string, unknown> {
  const { id: _id, createdBy: _by, createdAt: _c, updatedAt: _u, ...input } = rule;
  return input;
}

/**
 * Resolves the rule's open alerts as `actor` (no notification, as a member's resolve): the
 * evaluator no longer looks at them once their rule is disabled, tests another condition or
 * watches another website. Call with the rule's evaluation lock held.
 */
async function resolveRuleAlerts(tx: Prisma.TransactionClient, ruleId: string, actor: Actor, reason: string): Promise<AlertChange[]> {
  const open = await tx.alert.findMany({ where: { ruleId, state: { not: "resolved" } }, select: { id: true } });
  return resolveAlertsIn(tx, open.map((a) => a.id.toString()), actor, reason);
}

/** Why a change retires the rule's open alerts, or null when they stay. */
function retiredBecause(before: AlertRule, after: RuleInput): string | null {
  if (before.enabled && !after.enabled) return "the rule was disabled";
  if (before.condition !== after.condition || before.websiteId !== after.websiteId) return "the rule was changed";
  return null;
}

/**
 * Whether a change makes the rule's counts stale: enabled again (nothing was counted while it was
 * off), or counting other events (scope, condition, window, website). Its counts then start over,
 * so a spike's baseline does not take the pause or the old scope for quiet.
 */
function restartsCounting(before: AlertRule, after: RuleInput): boolean {
  if (!before.enabled && after.enabled) return true;
  return (
    before.condition !== after.condition ||
    before.websiteId !== after.websiteId ||
    before.windowMinutes !== (after.windowMinutes ?? null) ||
    before.baselineWindows !== (after.baselineWindows ?? null) ||
    // Both as the schema writes them (jsonb keeps its keys in its own order).
    JSON.stringify(ruleScope.parse(before.scope)) !== JSON.stringify(after.scope)
  );
}

/**
 * Changes some fields of a rule (enable/disable is `{ enabled }`); the result must be a valid
 * rule. Disabling it, or changing its condition or website, resolves its open alerts; enabling
 * it again or changing what it counts starts its counts over.
 */
export async function updateRule(id: string, change: Record<string, unknown>, actor: Actor): Promise<RuleView> {
  const { rule, resolved } = await db().$transaction(async (tx) => {
    await lockRuleEvaluations(tx, id);
    const current = await tx.alertRule.findUnique({ where: { id }, include });
    if (!current) throw new ApiError("not_found", "No such alert rule.");
    const input = ruleInput.parse({ ...asInput(ruleView(current)), ...change });
    const { data, channelIds } = await columns(tx, input);
    await tx.alertRuleChannel.deleteMany({ where: { ruleId: id, channelId: { notIn: channelIds } } });
    await tx.alertRuleChannel.createMany({ data: channelIds.map((channelId) => ({ ruleId: id, channelId })), skipDuplicates: true });
    const reason = retiredBecause(current, input);
    const resolved = reason === null ? [] : await resolveRuleAlerts(tx, id, actor, reason);
    const restart = restartsCounting(current, input);
    if (restart) {
      await tx.alertRuleCount.deleteMany({ where: { ruleId: id } });
      await tx.alertRuleVisitor.deleteMany({ where: { ruleId: id } });
    }
    const countingSince = restart ? { countingSince: new Date() } : {};
    return { rule: await tx.alertRule.update({ where: { id }, data: { ...data, ...countingSince }, include }), resolved };
  });
  rulesChanged();
  publishAlertChanges(resolved);
  return ruleView(rule);
}

/** Deletes a rule with its alerts (and their activity and deliveries). */
export async function deleteRule(id: string): Promise<void> {
  const { count } = await db().alertRule.deleteMany({ where: { id } });
  if (count === 0) throw new ApiError("not_found", "No such alert rule.");
  rulesChanged();
}

/** The notification channels a rule may send to, by name (for the rule form). */
export async function listChannelOptions(): Promise<{ id: string; name: string; type: string }[]> {
  return db().notificationChannel.findMany({ select: { id: true, name: true, type: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
