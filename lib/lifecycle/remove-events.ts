// Removes stored events in small batches, each its own short transaction that also takes the
// events back out of every counter and rollup ingest keeps (lib/lifecycle/tables.ts), so the
// dashboard's figures always equal what the remaining events say.
//
// Lock order: ingest's (lib/ingest/store.ts) takes events (new ones only), issue_visitors,
// issues, the issue, kind, country and daily counters, visitors, issue_visitor_bits, the
// hourly presence bits, and last the weekly visitor counters, each in key order. Erasing a
// visitor removes events of current buckets, which ingest also writes: it takes its locks in
// that same order, so the two wait on each other instead of deadlocking. Retention removes old
// buckets, which ingest does not write (but for the weekly counters, which old and current
// events share, and late deliveries): it updates the old buckets' counters first, so it holds
// the issue and visitor rows ingest needs for the fewest statements. Should a lock wait still
// exceed LOCK_TIMEOUT (below deadlock_timeout, 1 s), the batch gives way rather than ingest,
// and is retried.
import { db } from "../db/client";
import { sqlState } from "../db/sql-state";
import { Prisma } from "../generated/prisma/client";
import { logger } from "../log";
import { bitsTableSql, COUNT_TABLES, countTableSql, HOURLY_BITS_TABLES, ISSUE_BITS_SQL } from "./tables";

/** Events per batch: one statement deletes them, by primary key. */
export const BATCH_SIZE = 5_000;
const LOCK_TIMEOUT = "500ms";
const RETRIES = 50;
/** SQLSTATEs of a batch that lost a lock race: lock_not_available, deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(["55P03", "40P01", "40001"]);

export type Removed = { events: number; issues: number; visitors: number };

/** The rollup statements, generated once from the table lists. */
const COUNT_STATEMENTS = COUNT_TABLES.filter((t) => !t.lockedLast).map(countTableSql);
const BITS_STATEMENTS = HOURLY_BITS_TABLES.map(bitsTableSql);
const LAST_STATEMENTS = COUNT_TABLES.filter((t) => t.lockedLast).map(countTableSql);

type Tx = Prisma.TransactionClient;

/** Pairs of an issue and a visitor left without events leave issue_visitors (into lifecycle_lost_pairs). */
async function removeLostPairs(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE lifecycle_lost_pairs (issue_id bigint, website_id text, visitor_id text) ON COMMIT DROP`);
  await tx.$executeRawUnsafe(`
    WITH pairs AS (
      SELECT DISTINCT issue_id, website_id, visitor_id FROM lifecycle_removed ORDER BY 1, 3
    ), lost AS (
      DELETE FROM issue_visitors iv USING pairs p
      WHERE iv.issue_id = p.issue_id AND iv.visitor_id = p.visitor_id
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.website_id = p.website_id AND e.visitor_id = p.visitor_id AND e.issue_id = p.issue_id)
      RETURNING iv.issue_id, p.website_id, iv.visitor_id
    )
    INSERT INTO lifecycle_lost_pairs SELECT * FROM lost`);
}

/** Issues' counters and first/last seen without the removed events and lost visitors. */
async function updateIssues(tx: Tx): Promise<void> {
  // NO KEY UPDATE, as the UPDATE below takes: ingest's new events check their issue with a KEY
  // SHARE lock, which this does not block.
  await tx.$executeRawUnsafe(`SELECT 1 FROM issues WHERE id IN (SELECT issue_id FROM lifecycle_removed) ORDER BY id FOR NO KEY UPDATE`);
  await tx.$executeRawUnsafe(`
    WITH per_issue AS (
      SELECT issue_id, count(*)::int AS n FROM lifecycle_removed GROUP BY 1
    ), lost AS (
      SELECT issue_id, count(*)::int AS n FROM lifecycle_lost_pairs GROUP BY 1
    )
    UPDATE issues i SET
      event_count = i.event_count - pi.n,
      visitor_count = i.visitor_count - coalesce(lost.n, 0),
      first_seen = coalesce((SELECT min(occurred_at) FROM events e WHERE e.issue_id = i.id), i.first_seen),
      last_seen = coalesce((SELECT max(occurred_at) FROM events e WHERE e.issue_id = i.id), i.last_seen)
    FROM per_issue pi LEFT JOIN lost USING (issue_id) WHERE i.id = pi.issue_id`);
}

/** Visitors' counters and first/last seen without the removed events. */
async function updateVisitors(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`
    SELECT 1 FROM visitors WHERE (website_id, id) IN (SELECT website_id, visitor_id FROM lifecycle_removed)
    ORDER BY website_id, id FOR NO KEY UPDATE`);
  await tx.$executeRawUnsafe(`
    WITH per_visitor AS (SELECT website_id, visitor_id, count(*)::int AS n FROM lifecycle_removed GROUP BY 1, 2)
    UPDATE visitors v SET
      event_count = v.event_count - pv.n,
      first_seen = coalesce((SELECT min(occurred_at) FROM events e WHERE e.website_id = v.website_id AND e.visitor_id = v.id), v.first_seen),
      last_seen = coalesce((SELECT max(occurred_at) FROM events e WHERE e.website_id = v.website_id AND e.visitor_id = v.id), v.last_seen)
    FROM per_visitor pv WHERE v.website_id = pv.website_id AND v.id = pv.visitor_id`);
}

/**
 * One batch: deletes the events `select` picks (a query returning at most BATCH_SIZE event ids),
 * updates every table derived from them, and deletes the issues and visitors left without
 * events. Returns what it removed (no events: nothing was left to pick).
 */
async function removeBatch(select: Prisma.Sql, order: LockOrder): Promise<Removed> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await tx.$executeRawUnsafe(`
        CREATE TEMP TABLE lifecycle_removed (website_id text, visitor_id text, issue_id bigint, kind text, occurred_at timestamptz, country_code text)
        ON COMMIT DROP`);
      const events = await tx.$executeRaw`
        WITH gone AS (
          DELETE FROM events WHERE id IN (${select})
          RETURNING website_id, visitor_id, issue_id, kind, occurred_at, country_code
        )
        INSERT INTO lifecycle_removed SELECT * FROM gone`;
      if (events === 0) return { events: 0, issues: 0, visitors: 0 };
      await tx.$executeRawUnsafe("ANALYZE lifecycle_removed");
      const oldFirst = order === "old buckets first";
      if (oldFirst) for (const sql of [...COUNT_STATEMENTS, ...BITS_STATEMENTS]) await tx.$executeRawUnsafe(sql);
      await removeLostPairs(tx);
      await updateIssues(tx);
      if (!oldFirst) for (const sql of COUNT_STATEMENTS) await tx.$executeRawUnsafe(sql);
      await updateVisitors(tx);
      await tx.$executeRawUnsafe(ISSUE_BITS_SQL);
      if (!oldFirst) for (const sql of BITS_STATEMENTS) await tx.$executeRawUnsafe(sql);
      for (const sql of LAST_STATEMENTS) await tx.$executeRawUnsafe(sql);
      const visitors = await tx.$executeRawUnsafe(`
        DELETE FROM visitors WHERE (website_id, id) IN (SELECT website_id, visitor_id FROM lifecycle_removed) AND event_count <= 0`);
      const issues = await tx.$executeRawUnsafe(`DELETE FROM issues WHERE id IN (SELECT issue_id FROM lifecycle_removed) AND event_count <= 0`);
      return { events, issues, visitors };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A batch, retried when it lost a lock race with ingest (it rolled back, so nothing was half done). */
async function removeBatchRetrying(select: Prisma.Sql, order: LockOrder): Promise<Removed> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await removeBatch(select, order);
    } catch (error) {
      const state = sqlState(error);
      if (!state || !RETRYABLE.has(state) || attempt >= RETRIES) throw error;
      logger().debug({ state, attempt }, "event removal batch retried");
      await sleep(Math.min(20 * attempt, 500));
    }
  }
}

/** "ingest's": events of any time (erasing a visitor); "old buckets first": old events only (retention). See above. */
export type LockOrder = "ingest's" | "old buckets first";

/**
 * Removes every event `select` picks, batch after batch, until it picks none (or `shouldStop`
 * says so between batches). `select` must return event ids, at most BATCH_SIZE.
 */
export async function removeEvents(select: Prisma.Sql, order: LockOrder, shouldStop: () => boolean = () => false): Promise<Removed> {
  const total: Removed = { events: 0, issues: 0, visitors: 0 };
  while (!shouldStop()) {
    const batch = await removeBatchRetrying(select, order);
    if (batch.events === 0) break;
    total.events += batch.events;
    total.issues += batch.issues;
    total.visitors += batch.visitors;
  }
  return total;
}
