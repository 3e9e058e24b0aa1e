// Integration (issue 7): removing events while ingest keeps storing new ones for the same
// visitors and issues. Retention's case: old events share only the weekly rollup_visitor_days
// rows with current ones; erasing a visitor's: they share every bucket. A removal that locks a
// shared row before the issue and visitor rows ingest locks first deadlocks with every ingest
// statement in between, and under a steady stream its batches time out until they give up.
// Here the removal must finish, every writer must succeed, and every counter and rollup must
// equal what the remaining events say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../db/client";
import { setDatabaseUrl } from "../env";
import { Prisma } from "../generated/prisma/client";
import { toEventRecord } from "../ingest/ingest";
import { storeEvents, type EventRecord } from "../ingest/store";
import { parseDelivery } from "../livesession/parse";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery } from "../testing/deliveries";
import { expectRollupsMatchEvents } from "../testing/rollup-check";
import { BATCH_SIZE, removeEvents, type LockOrder } from "./remove-events";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** An epoch-aligned week (rollup_visitor_days' 7-day bucket): the current events on its day 4. */
const WEEK_START = Math.floor(Date.parse("2026-11-20T00:00:00Z") / WEEK) * WEEK;
const CURRENT_DAY = WEEK_START + 4 * DAY;
const VISITORS = 20;
const ISSUES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
/** Enough old events for two removal batches, so the removal spans many ingest statements. */
const OLD_EVENTS = 2 * BATCH_SIZE;
const WRITERS = 4;
const WRITER_BATCH = 30;
/**
 * Long enough for the removal to finish many times over (it takes about a second), short of the
 * minute its retries take to give up when every batch loses the lock race.
 */
const REMOVAL_LIMIT_MS = 20_000;

let database: ScratchDatabase;
/** Each case's own website: ingest remembers the websites it recorded, per process, not per database. */
let website = "";

const one = async <T = any>(sql: string, params: unknown[] = []): Promise<T> => (await database.query(sql, params)).rows[0] as T;

/** A JS error of `visitor` on issue `issue` at `at` (ms), as ingest would store it. */
function jsError(visitor: number, issue: number, at: number): EventRecord {
  const { body } = delivery("js-error", (d) => {
    d.created_at = Math.floor(at / 1000);
    d.payload.time = at;
    d.website_id = website;
    d.payload.visitor.id = `visitor-${visitor}`;
    d.payload.value = `Checkout failed at step ${ISSUES[issue]}`;
  });
  return toEventRecord(parseDelivery(body, new Date(at)));
}

/** Stores events in ingest-sized batches; every one must be new. */
async function store(events: EventRecord[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const stored = await storeEvents(events.slice(i, i + 500));
    expect(stored.every(Boolean)).toBe(true);
  }
}

type Phase = "before" | "removing" | "after";
/** What a writer stored: events in all, and in batches that started during the removal. */
type Writer = { batches: number; events: number; during: number; errors: unknown[] };

/** Stores batches of current events for all the visitors and issues until the removal is over. */
async function write(index: number, phase: () => Phase): Promise<Writer> {
  const writer: Writer = { batches: 0, events: 0, during: 0, errors: [] };
  while (phase() !== "after") {
    const removing = phase() === "removing";
    const batch = Array.from({ length: WRITER_BATCH }, (_, i) => {
      const n = writer.batches * WRITER_BATCH + i;
      return jsError((n * 7 + index) % VISITORS, (n + index) % ISSUES.length, CURRENT_DAY + ((n * 37_000) % (6 * HOUR)));
    });
    try {
      const stored = await storeEvents(batch);
      const n = stored.filter(Boolean).length;
      writer.events += n;
      if (removing) writer.during += n;
    } catch (error) {
      writer.errors.push(error);
    }
    writer.batches++;
  }
  return writer;
}

/** A scratch database with events of every visitor on every issue from `oldStart` on, then a current one of each pair. */
async function seed(oldStart: number): Promise<void> {
  if (database) {
    await disconnectDb();
    await database.drop();
  }
  database = await createScratchDatabase();
  setDatabaseUrl(database.url);
  website = `order-${oldStart}`;
  // Removing the old ones leaves every visitor, issue and pair in place (only counters change).
  await store(
    Array.from({ length: OLD_EVENTS }, (_, n) => jsError(n % VISITORS, Math.floor(n / VISITORS) % ISSUES.length, oldStart + ((n * 4_000) % (6 * HOUR)))),
  );
  await store(Array.from({ length: VISITORS * ISSUES.length }, (_, n) => jsError(n % VISITORS, Math.floor(n / VISITORS), CURRENT_DAY + n * 1_000)));
}

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const CASES: { name: string; order: LockOrder; oldStart: number }[] = [
  { name: "old events (retention)", order: "old buckets first", oldStart: WEEK_START + DAY },
  { name: "events of the current hours (erasing a visitor)", order: "ingest's", oldStart: CURRENT_DAY },
];

describe.each(CASES)("removing $name while ingest stores more for the same visitors and issues", ({ order, oldStart }) => {
  beforeAll(() => seed(oldStart), 60_000);

  it("finishes, lets every writer through, and leaves every counter and rollup exact", async () => {
    // The old events were stored first: the lowest ids.
    const old = await one<{ last: string; n: number; weeks: number }>(
      `SELECT max(id)::text AS last, count(*)::int AS n,
         (SELECT count(DISTINCT date_bin('7 days', occurred_at, 'epoch'::timestamptz))::int FROM events) AS weeks
       FROM (SELECT id FROM events ORDER BY id LIMIT $1) o`,
      [OLD_EVENTS],
    );
    expect(old.n).toBe(OLD_EVENTS);
    // The old and the current events share each visitor's weekly buckets.
    const shared = await one<{ n: number }>(
      `SELECT count(DISTINCT (website_id, visitor_num, bucket))::int AS n FROM rollup_visitor_days WHERE days = 7`,
    );
    expect(old.weeks).toBe(1);
    expect(shared.n).toBe(VISITORS);
    const before = await one<{ events: number }>("SELECT count(*)::int AS events FROM events");

    // The writers get going before the removal starts, and stop once it is over (either way).
    let phase: Phase = "before";
    const writers = Array.from({ length: WRITERS }, (_, index) => write(index, () => phase));
    await expect.poll(async () => (await one<{ n: number }>("SELECT count(*)::int AS n FROM events")).n).toBeGreaterThan(before.events);
    phase = "removing";
    // Past the limit the writers stop, so that a removal stuck behind them can end its batch and stop.
    let overdue = false;
    const limit = setTimeout(() => {
      overdue = true;
      phase = "after";
    }, REMOVAL_LIMIT_MS);
    const select = Prisma.sql`SELECT id FROM events WHERE id <= ${BigInt(old.last)} ORDER BY id LIMIT ${BATCH_SIZE}`;
    const removal = removeEvents(select, order, () => overdue).finally(() => {
      clearTimeout(limit);
      phase = "after";
    });
    const [removed, ...written] = await Promise.all([removal, ...writers]);

    expect(overdue, `removal still going after ${REMOVAL_LIMIT_MS} ms of ingest (${removed.events} of ${OLD_EVENTS} events removed)`).toBe(false);
    expect(removed).toEqual({ events: OLD_EVENTS, issues: 0, visitors: 0 });
    expect(written.flatMap((w) => w.errors)).toEqual([]);
    for (const writer of written) {
      expect(writer.events).toBe(writer.batches * WRITER_BATCH);
      expect(writer.during).toBeGreaterThan(0);
    }
    const stored = written.reduce((sum, w) => sum + w.events, 0);
    const after = await one<{ events: number; old: number }>(
      "SELECT count(*)::int AS events, count(*) FILTER (WHERE id <= $1)::int AS old FROM events",
      [old.last],
    );
    expect(after).toEqual({ events: before.events - OLD_EVENTS + stored, old: 0 });
    await expectRollupsMatchEvents(database.query);
  }, 60_000);
});
