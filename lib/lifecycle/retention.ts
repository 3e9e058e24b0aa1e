// Retention: events older than RETENTION_DAYS (by occurred_at) go, with what they added to every
// counter and rollup, in short batches (lib/lifecycle/remove-events.ts); so do rejected
// deliveries received before the same cutoff. Runs hourly in every app instance; a PostgreSQL
// advisory lock lets one run at a time per database.
import pg from "pg";
import { db } from "../db/client";
import { env } from "../env";
import { Prisma } from "../generated/prisma/client";
import { logger } from "../log";
import { BATCH_SIZE, removeEvents, type Removed } from "./remove-events";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The first scheduled run, after start-up; then one every hour. */
const FIRST_RUN_DELAY_MS = 60_000;
const INTERVAL_MS = HOUR_MS;
/** A scheduled run is skipped when any instance started one this recently. */
const MIN_GAP_MS = 50 * 60_000;
/** pg_try_advisory_lock key: "lsm-retention" in ASCII. */
export const RETENTION_LOCK_KEY = 0x6c736d2d726574n;

export type RetentionRun = Removed & {
  startedAt: string;
  finishedAt: string | null;
  cutoff: string;
  rejectedDeliveries: number;
  error: string | null;
};

export function retentionCutoff(now = new Date()): Date {
  return new Date(now.getTime() - env().RETENTION_DAYS * DAY_MS);
}

/** Deletes rejected deliveries received before `cutoff`, batch by batch; returns how many. */
async function pruneRejectedDeliveries(cutoff: Date, shouldStop: () => boolean): Promise<number> {
  let total = 0;
  while (!shouldStop()) {
    const n = await db().$executeRaw`
      DELETE FROM rejected_deliveries WHERE id IN (
        SELECT id FROM rejected_deliveries WHERE received_at < ${cutoff} ORDER BY received_at LIMIT ${BATCH_SIZE})`;
    if (n === 0) break;
    total += n;
  }
  return total;
}

/** Holds the retention lock on a connection of its own while `run` runs; null when another holds it. */
async function withRetentionLock<T>(run: () => Promise<T>): Promise<T | null> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 3_000 });
  client.on("error", (error) => logger().warn({ err: error.message }, "retention lock connection lost"));
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RETENTION_LOCK_KEY.toString()]);
    if (!rows[0]?.locked) return null;
    // Closing the connection releases the lock too.
    return await run();
  } finally {
    await client.end();
  }
}

type RunRow = {
  startedAt: Date;
  finishedAt: Date | null;
  cutoff: Date;
  events: number;
  issues: number;
  visitors: number;
  rejectedDeliveries: number;
  error: string | null;
};

function runJson(row: RunRow): RetentionRun {
  return {
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    cutoff: row.cutoff.toISOString(),
    events: row.events,
    issues: row.issues,
    visitors: row.visitors,
    rejectedDeliveries: row.rejectedDeliveries,
    error: row.error,
  };
}

/**
 * One retention run, recorded in retention_runs. Null when another run holds the lock, or, for a
 * scheduled run, when one started less than MIN_GAP_MS ago (several instances share the hour).
 */
export async function runRetention(options: { scheduled?: boolean; shouldStop?: () => boolean } = {}): Promise<RetentionRun | null> {
  const { scheduled = false, shouldStop = () => false } = options;
  return withRetentionLock(async () => {
    if (scheduled) {
      const recent = await db().retentionRun.findFirst({ where: { startedAt: { gt: new Date(Date.now() - MIN_GAP_MS) } } });
      if (recent) return null;
    }
    const cutoff = retentionCutoff();
    const run = await db().retentionRun.create({ data: { cutoff } });
    let removed: Removed = { events: 0, issues: 0, visitors: 0 };
    let rejectedDeliveries = 0;
    let error: string | null = null;
    try {
      removed = await removeEvents(
        Prisma.sql`SELECT id FROM events WHERE occurred_at < ${cutoff} ORDER BY occurred_at, id LIMIT ${BATCH_SIZE}`,
        "old buckets first",
        shouldStop,
      );
      rejectedDeliveries = await pruneRejectedDeliveries(cutoff, shouldStop);
      await db().retentionRun.deleteMany({ where: { startedAt: { lt: cutoff } } });
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      logger().error({ err: caught }, "retention run failed");
    }
    const row = await db().retentionRun.update({
      where: { id: run.id },
      data: { ...removed, rejectedDeliveries, error, finishedAt: new Date() },
    });
    logger().info({ cutoff, ...removed, rejectedDeliveries, ms: row.finishedAt!.getTime() - row.startedAt.getTime() }, "retention run");
    return runJson(row);
  });
}

export type RetentionStatus = {
  retentionDays: number;
  /** Events before this go at the next run. */
  cutoff: string;
  oldestEvent: string | null;
  lastRun: RetentionRun | null;
};

/** What the settings page shows. */
export async function getRetentionStatus(): Promise<RetentionStatus> {
  const [oldest, lastRun] = await Promise.all([
    db().$queryRaw<{ oldest: Date | null }[]>`SELECT min(occurred_at) AS oldest FROM events`,
    db().retentionRun.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  return {
    retentionDays: env().RETENTION_DAYS,
    cutoff: retentionCutoff().toISOString(),
    oldestEvent: oldest[0]?.oldest?.toISOString() ?? null,
    lastRun: lastRun ? runJson(lastRun) : null,
  };
}

/** Runs retention a minute after start-up and then hourly; stop() waits for a run in progress to stop. */
export function startRetentionSchedule(): { stop(): Promise<void> } {
  let stopping = false;
  let current: Promise<void> | null = null;
  const tick = () => {
    if (current) return;
    current = runRetention({ scheduled: true, shouldStop: () => stopping })
      .then(
        () => undefined,
        (error: unknown) => logger().warn({ err: error }, "retention run could not start"),
      )
      .finally(() => {
        current = null;
      });
  };
  const first = setTimeout(tick, FIRST_RUN_DELAY_MS).unref();
  const every = setInterval(tick, INTERVAL_MS).unref();
  return {
    async stop() {
      stopping = true;
      clearTimeout(first);
      clearInterval(every);
      await current;
    },
  };
}
