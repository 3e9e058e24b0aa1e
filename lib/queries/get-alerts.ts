import { z } from "zod";
import { ApiError } from "../api/errors";
import { decodeCursor, encodeCursor, listPaging } from "../api/params";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { AlertFigures, AlertState, Condition } from "../alerts/types";

/** The inbox's state filter: "open" is firing, acknowledged and snoozed together. */
export const ALERT_FILTER_STATES = ["open", "firing", "acknowledged", "snoozed", "resolved", "all"] as const;
export type AlertFilterState = (typeof ALERT_FILTER_STATES)[number];

const STATES_OF: Record<AlertFilterState, AlertState[] | null> = {
  open: ["firing", "acknowledged", "snoozed"],
  firing: ["firing"],
  acknowledged: ["acknowledged"],
  snoozed: ["snoozed"],
  resolved: ["resolved"],
  all: null,
};

export const alertsQuery = z.intersection(
  z.object({
    state: z.enum(ALERT_FILTER_STATES).default("open"),
    websiteId: z.string().min(1).max(255).optional(),
    ruleId: z.string().min(1).max(255).optional(),
    /** "me" (the caller), "none" (unassigned) or a user id. */
    assignee: z.string().min(1).max(255).optional(),
  }),
  listPaging,
);
export type AlertsQuery = z.infer<typeof alertsQuery>;

const cursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^\d{1,19}$/)]);

export type AlertListItem = {
  id: string;
  state: AlertState;
  title: string;
  rule: { id: string; name: string; condition: Condition };
  website: { id: string; name: string | null };
  issueId: string | null;
  figures: AlertFigures;
  firedAt: string;
  lastTriggeredAt: string;
  triggerCount: number;
  snoozedUntil: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  assignee: { id: string; name: string } | null;
};

export type AlertRow = {
  id: string;
  state: AlertState;
  title: string;
  rule_id: string;
  rule_name: string;
  condition: Condition;
  website_id: string;
  website_name: string | null;
  issue_id: string | null;
  figures: AlertFigures;
  fired_at: Date;
  last_triggered_at: Date;
  trigger_count: number;
  snoozed_until: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
};

/** The columns of an AlertRow, from alerts joined to its rule, website and assignee. */
export const ALERT_SELECT = Prisma.sql`SELECT a.id::text AS id, a.state, a.title, a.rule_id, r.name AS rule_name, r.condition, a.website_id, w.name AS website_name,
  a.issue_id::text AS issue_id, a.figures, a.fired_at, a.last_triggered_at, a.trigger_count, a.snoozed_until, a.resolved_at, a.resolved_by,
  a.assignee_id, u.name AS assignee_name
  FROM alerts a JOIN alert_rules r ON r.id = a.rule_id LEFT JOIN websites w ON w.id = a.website_id LEFT JOIN users u ON u.id = a.assignee_id`;

export function alertItem(r: AlertRow): AlertListItem {
  return {
    id: r.id,
    state: r.state,
    title: r.title,
    rule: { id: r.rule_id, name: r.rule_name, condition: r.condition },
    website: { id: r.website_id, name: r.website_name },
    issueId: r.issue_id,
    figures: r.figures,
    firedAt: r.fired_at.toISOString(),
    lastTriggeredAt: r.last_triggered_at.toISOString(),
    triggerCount: r.trigger_count,
    snoozedUntil: r.snoozed_until?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    assignee: r.assignee_id === null ? null : { id: r.assignee_id, name: r.assignee_name ?? "" },
  };
}

/**
 * Alerts in the given state(s), newest fired first (ties by id), with a keyset cursor.
 * `me` is the caller's user id, for `assignee=me` (an API token has none: a 400).
 */
export async function getAlerts(q: AlertsQuery, me: string | null): Promise<{ alerts: AlertListItem[]; nextCursor: string | null }> {
  let assignee: string | null = null;
  let unassigned = false;
  if (q.assignee === "me") {
    if (me === null) throw new ApiError("bad_request", 'Invalid assignee: "me" needs a signed-in user; pass a user id.');
    assignee = me;
  } else if (q.assignee === "none") unassigned = true;
  else if (q.assignee !== undefined) assignee = q.assignee;
  const after = q.cursor ? decodeCursor(q.cursor, cursorSchema) : null;
  const states = STATES_OF[q.state];
  const [firedBefore, idBefore] = after ?? [null, null];
  const rows = await db().$queryRaw<AlertRow[]>`
    ${ALERT_SELECT}
    WHERE (${states}::text[] IS NULL OR a.state = ANY(${states}::text[]))
      AND (${q.websiteId ?? null}::text IS NULL OR a.website_id = ${q.websiteId ?? null})
      AND (${q.ruleId ?? null}::text IS NULL OR a.rule_id = ${q.ruleId ?? null})
      AND (${assignee}::text IS NULL OR a.assignee_id = ${assignee})
      AND (NOT ${unassigned}::boolean OR a.assignee_id IS NULL)
      AND (${firedBefore}::timestamptz IS NULL OR a.fired_at < ${firedBefore}::timestamptz
        OR (a.fired_at = ${firedBefore}::timestamptz AND a.id < ${idBefore}::bigint))
    ORDER BY a.fired_at DESC, a.id DESC
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    alerts: page.map(alertItem),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.fired_at.toISOString(), last.id]) : null,
  };
}

/** How many alerts are firing (the count next to the Alerts link). */
export async function countFiringAlerts(): Promise<number> {
  return db().alert.count({ where: { state: "firing" } });
}
