// The periodic pass over open alerts, for what no incoming event triggers: a window that emptied
// (re-evaluating the rule resolves it), a snooze that ended, an issue that was resolved, ignored
// or merged; and the pruning of old counters.
import { db } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../log";
import { pruneCounters } from "./counters";
import { evaluateRule, type EvaluationTarget } from "./evaluator";

export async function sweepAlerts(now: Date, client: PrismaClient = db()): Promise<void> {
  const due = await client.$queryRaw<{ rule_id: string; dedup_key: string }[]>`
    SELECT DISTINCT a.rule_id, a.dedup_key
    FROM alerts a
    JOIN alert_rules r ON r.id = a.rule_id AND r.enabled
    LEFT JOIN issues i ON i.id = a.issue_id
    WHERE a.state <> 'resolved' AND (
      a.dedup_key = ''
      OR (a.state = 'snoozed' AND a.snoozed_until <= ${now.toISOString()}::timestamptz)
      OR i.id IS NULL OR i.status IN ('resolved', 'ignored')
      OR EXISTS (SELECT 1 FROM issue_merges m WHERE m.source_issue_id = i.id))
    ORDER BY 1, 2`;
  for (const row of due) {
    const target: EvaluationTarget = { ruleId: row.rule_id, issueId: row.dedup_key === "" ? null : row.dedup_key, triggered: false };
    try {
      await evaluateRule(target, now, client);
    } catch (error) {
      logger().warn({ err: error, rule: row.rule_id }, "alert sweep: evaluation failed");
    }
  }
  await pruneCounters(now, client);
}
