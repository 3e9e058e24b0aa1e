// The alert evaluator loop, one per process. Ingest hands it each committed batch
// (alertsOnCommitted: a push onto a queue, never a wait); the loop matches the events against
// the enabled rules in memory, adds the window rules' matches to their counters in one
// statement, and evaluates each rule it touched (./evaluator.ts). A sweep every 10 s handles
// what no event triggers (./sweep.ts). Acknowledging a webhook never waits for any of it.
import { db } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import type { EventRecord } from "../ingest/store";
import { logger } from "../log";
import { minuteOf, spanMs } from "./conditions";
import { addTally, emptyTally, tallyEvent } from "./counters";
import { evaluateRule, isWindowCondition, type EvaluationTarget } from "./evaluator";
import { rulesVersion } from "./rules-version";
import { compileScope, matchesScope, scopedEvent, type CompiledScope, type ScopedEvent } from "./scope";
import { sweepAlerts } from "./sweep";
import { ruleScope, type Condition } from "./types";

const RULES_TTL_MS = 5_000;
const SWEEP_INTERVAL_MS = 10_000;
/** Events further ahead of the clock than this are not counted. */
const FUTURE_MS = 5 * 60_000;
/** Past this many queued events (a database too slow for alerts), the oldest batches are dropped. */
const MAX_QUEUED_EVENTS = 100_000;
/** An iteration slower than this is logged as a warning. */
const SLOW_ITERATION_MS = 1_000;

type CachedRule = { id: string; websiteId: string; condition: Condition; window: boolean; spanMs: number; scope: CompiledScope };
type Batch = { records: EventRecord[]; stored: boolean[] };

export type AlertEngineOptions = { client?: PrismaClient; now?: () => Date };

export class AlertEngine {
  private readonly client: PrismaClient;
  private readonly now: () => Date;
  private queue: Batch[] = [];
  private queued = 0;
  private draining: Promise<void> | null = null;
  private rules: { version: number; loadedAt: number; byWebsite: Map<string, CachedRule[]> } | null = null;

  constructor(options: AlertEngineOptions = {}) {
    this.client = options.client ?? db();
    this.now = options.now ?? (() => new Date());
  }

  /** Queues a committed batch and schedules the loop. */
  enqueue(records: EventRecord[], stored: boolean[]): void {
    this.queue.push({ records, stored });
    this.queued += records.length;
    while (this.queued > MAX_QUEUED_EVENTS && this.queue.length > 1) {
      const dropped = this.queue.shift()!;
      this.queued -= dropped.records.length;
      logger().warn({ events: dropped.records.length }, "alert evaluation is behind: dropped a batch");
    }
    if (!this.draining) {
      this.draining = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    }
  }

  /** Resolves once every queued batch has been evaluated. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batches = this.queue;
        this.queue = [];
        this.queued = 0;
        try {
          await this.process(batches);
        } catch (error) {
          logger().warn({ err: error }, "alert evaluation failed");
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async rulesByWebsite(): Promise<Map<string, CachedRule[]>> {
    const version = rulesVersion();
    if (this.rules && this.rules.version === version && Date.now() - this.rules.loadedAt < RULES_TTL_MS) return this.rules.byWebsite;
    const rows = await this.client.alertRule.findMany({ where: { enabled: true } });
    const byWebsite = new Map<string, CachedRule[]>();
    for (const row of rows) {
      const scope = ruleScope.safeParse(row.scope);
      if (!scope.success) {
        logger().warn({ rule: row.id }, "alert rule with an invalid scope: skipped");
        continue;
      }
      const rule: CachedRule = {
        id: row.id,
        websiteId: row.websiteId,
        condition: row.condition as Condition,
        window: isWindowCondition(row.condition),
        spanMs: spanMs({ condition: row.condition as Condition, baselineWindows: row.baselineWindows, windowMinutes: row.windowMinutes }),
        scope: compileScope(scope.data),
      };
      byWebsite.set(rule.websiteId, [...(byWebsite.get(rule.websiteId) ?? []), rule]);
    }
    this.rules = { version, loadedAt: Date.now(), byWebsite };
    return byWebsite;
  }

  /** One iteration: match, count (one statement), evaluate each touched rule. */
  async process(batches: Batch[]): Promise<void> {
    const started = performance.now();
    const now = this.now();
    const byWebsite = await this.rulesByWebsite();
    const tally = emptyTally();
    const windowRules = new Set<string>();
    const issueTargets = new Map<string, EvaluationTarget>();
    let events = 0;
    for (const { records, stored } of batches) {
      records.forEach((record, i) => {
        const rules = stored[i] === true ? byWebsite.get(record.websiteId) : undefined;
        if (!rules) return;
        events++;
        let event: ScopedEvent | null = null;
        for (const rule of rules) {
          event ??= scopedEvent(record);
          if (!matchesScope(rule.scope, event)) continue;
          if (rule.window) {
            const at = record.occurredAt;
            if (at.getTime() < now.getTime() - rule.spanMs || at.getTime() > now.getTime() + FUTURE_MS) continue;
            tallyEvent(tally, rule.id, minuteOf(at), rule.condition === "visitor_count" ? { id: record.visitor.id, at } : null);
            windowRules.add(rule.id);
          } else if (record.issueChange === (rule.condition === "new_issue" ? "new" : "regressed")) {
            issueTargets.set(`${rule.id}\u0000${record.issueId}`, { ruleId: rule.id, issueId: record.issueId, triggered: true });
          }
        }
      });
    }
    if (windowRules.size === 0 && issueTargets.size === 0) return;
    await addTally(tally, this.client);
    const targets = [...[...windowRules].map((ruleId) => ({ ruleId, issueId: null, triggered: true })), ...issueTargets.values()];
    for (const target of targets) {
      try {
        await evaluateRule(target, now, this.client);
      } catch (error) {
        logger().warn({ err: error, rule: target.ruleId }, "alert evaluation failed");
      }
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const summary = { events, evaluations: targets.length, ms };
    if (ms > SLOW_ITERATION_MS) logger().warn(summary, "alert evaluation is slow");
    else logger().debug(summary, "alerts evaluated");
  }

  async sweep(): Promise<void> {
    await sweepAlerts(this.now(), this.client);
  }
}

const engineKey = Symbol.for("lsm.alerts.engine");
type EngineCache = { [engineKey]?: AlertEngine };

/**
 * Called by ingest after a batch committed (`stored[i]`: whether `records[i]` was inserted).
 * O(1) and never throws; does nothing when this process runs no evaluator.
 */
export function alertsOnCommitted(records: EventRecord[], stored: boolean[]): void {
  try {
    (globalThis as EngineCache)[engineKey]?.enqueue(records, stored);
  } catch (error) {
    logger().warn({ err: error }, "alert hand-off failed");
  }
}

/** Starts this process's evaluator and its sweep (now, then every 10 s); stop() lets queued batches finish. */
export function startAlerting(options: AlertEngineOptions = {}): { stop(): Promise<void> } {
  const engine = new AlertEngine(options);
  (globalThis as EngineCache)[engineKey] = engine;
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= engine
      .sweep()
      .catch((error: unknown) => logger().warn({ err: error }, "alert sweep failed"))
      .finally(() => {
        sweeping = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
  return {
    async stop() {
      clearInterval(timer);
      if ((globalThis as EngineCache)[engineKey] === engine) delete (globalThis as EngineCache)[engineKey];
      await sweeping;
      await engine.idle();
    },
  };
}
