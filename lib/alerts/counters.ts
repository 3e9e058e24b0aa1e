// The window rules' counters: events per rule and minute (alert_rule_counts) and each rule's
// visitors with their latest event (alert_rule_visitors), added to as batches are matched and
// pruned past each rule's span. Windows and baselines are read from them, never from events.
import { db } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { SERIES_WINDOWS } from "./conditions";

/** Matches of one loop iteration, already summed: per rule and minute, per rule and visitor. */
export type Tally = {
  counts: Map<string, { ruleId: string; minute: Date; events: number }>;
  visitors: Map<string, { ruleId: string; visitorId: string; lastAt: Date }>;
};

export function emptyTally(): Tally {
  return { counts: new Map(), visitors: new Map() };
}

export function tallyEvent(tally: Tally, ruleId: string, minute: Date, visitor: { id: string; at: Date } | null): void {
  const countKey = `${ruleId}\u0000${minute.getTime()}`;
  const count = tally.counts.get(countKey);
  if (count) count.events++;
  else tally.counts.set(countKey, { ruleId, minute, events: 1 });
  if (!visitor) return;
  const visitorKey = `${ruleId}\u0000${visitor.id}`;
  const seen = tally.visitors.get(visitorKey);
  if (!seen) tally.visitors.set(visitorKey, { ruleId, visitorId: visitor.id, lastAt: visitor.at });
  else if (visitor.at > seen.lastAt) seen.lastAt = visitor.at;
}

/**
 * Adds a tally to the counters in one statement (rows in key order, as every writer takes them).
 * Rules deleted meanwhile are skipped.
 */
export async function addTally(tally: Tally, client: PrismaClient = db()): Promise<void> {
  if (tally.counts.size === 0) return;
  const counts = JSON.stringify([...tally.counts.values()].map((c) => ({ rule_id: c.ruleId, minute: c.minute.toISOString(), events: c.events })));
  const visitors = JSON.stringify([...tally.visitors.values()].map((v) => ({ rule_id: v.ruleId, visitor_id: v.visitorId, last_at: v.lastAt.toISOString() })));
  await client.$executeRaw`
    WITH counted AS (
      INSERT INTO alert_rule_counts AS c (rule_id, minute, events)
      SELECT t.rule_id, t.minute, t.events
      FROM jsonb_to_recordset(${counts}::jsonb) AS t(rule_id text, minute timestamptz, events int)
      JOIN alert_rules r ON r.id = t.rule_id
      ORDER BY 1, 2
      ON CONFLICT (rule_id, minute) DO UPDATE SET events = c.events + excluded.events
    )
    INSERT INTO alert_rule_visitors AS v (rule_id, visitor_id, last_at)
    SELECT t.rule_id, t.visitor_id, t.last_at
    FROM jsonb_to_recordset(${visitors}::jsonb) AS t(rule_id text, visitor_id text, last_at timestamptz)
    JOIN alert_rules r ON r.id = t.rule_id
    ORDER BY 1, 2
    ON CONFLICT (rule_id, visitor_id) DO UPDATE SET last_at = greatest(v.last_at, excluded.last_at)`;
}

/**
 * Removes counts older than their rule's span (what its figures show) and visitors older than
 * its window; a minute of slack for the window's partial first minute.
 */
export async function pruneCounters(now: Date, client: PrismaClient = db()): Promise<void> {
  const at = now.toISOString();
  await client.$executeRaw`
    DELETE FROM alert_rule_counts c USING alert_rules r
    WHERE r.id = c.rule_id AND c.minute < ${at}::timestamptz - make_interval(mins =>
      coalesce(r.window_minutes, 1) * CASE WHEN r.condition = 'spike' THEN coalesce(r.baseline_windows, 1) + 1 ELSE ${SERIES_WINDOWS}::int END + 1)`;
  await client.$executeRaw`
    DELETE FROM alert_rule_visitors v USING alert_rules r
    WHERE r.id = v.rule_id AND v.last_at < ${at}::timestamptz - make_interval(mins => coalesce(r.window_minutes, 1) + 1)`;
}
