import { alertsOnCommitted } from "../alerts/engine";
import { isDatabaseUnavailable } from "../api/errors";
import { db } from "../db/client";
import { sqlState } from "../db/sql-state";
import type { ParsedEvent } from "../livesession/parse";
import { logger } from "../log";
import { publishStored } from "../realtime/hub";
import { groupEvent, issueIdOf, templateUrl } from "./fingerprint";
import { GroupCommitter, type Outcome } from "./group-commit";
import { storeEvents, type EventRecord } from "./store";

const MAX_BATCH = 500;
// One writer per process: concurrent batches contend for the same hot issue and visitor rows
// and wait on each other's locks; one writer makes larger batches instead (measured with
// npm run bench:ingest: 1 writer ~1,900 webhooks/s, 2 ~1,400/s, 4 ~1,100/s).
const CONCURRENT_FLUSHES = 1;
const RETRYABLE = new Set(["40P01", "40001"]); // deadlock, serialization failure

async function storeWithRetry(batch: EventRecord[]): Promise<boolean[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeEvents(batch);
    } catch (error) {
      if (attempt >= 3 || !RETRYABLE.has(sqlState(error) ?? "")) throw error;
    }
  }
}

/** Hands a committed batch to whoever listens: live pages may show it now, alert rules may count it. */
function committed(records: EventRecord[], stored: boolean[]): void {
  publishStored(records, stored);
  alertsOnCommitted(records, stored);
}

/**
 * Writes a batch; if it fails for a reason other than the database being unreachable, the
 * events are retried one by one so that a single unstorable event fails alone.
 */
async function flush(batch: EventRecord[]): Promise<Outcome<boolean>[]> {
  try {
    const stored = await storeWithRetry(batch);
    committed(batch, stored);
    return stored.map((value) => ({ status: "fulfilled", value }));
  } catch (error) {
    if (batch.length === 1 || isDatabaseUnavailable(error)) throw error;
    logger().warn({ err: error, size: batch.length }, "batch write failed; retrying events one by one");
    const outcomes: Outcome<boolean>[] = [];
    for (const event of batch) {
      try {
        const [value] = await storeWithRetry([event]);
        committed([event], [value === true]);
        outcomes.push({ status: "fulfilled", value: value ?? false });
      } catch (reason) {
        outcomes.push({ status: "rejected", reason });
      }
    }
    return outcomes;
  }
}

const committerKey = Symbol.for("lsm.ingest.committer");
type CommitterCache = { [committerKey]?: GroupCommitter<EventRecord, boolean> };

function committer(): GroupCommitter<EventRecord, boolean> {
  const cache = globalThis as CommitterCache;
  cache[committerKey] ??= new GroupCommitter(flush, { maxBatch: MAX_BATCH, concurrency: CONCURRENT_FLUSHES });
  return cache[committerKey];
}

export function toEventRecord(event: ParsedEvent): EventRecord {
  const { fields } = event;
  const url = "url" in fields && typeof fields.url === "string" ? fields.url : null;
  const { fingerprint, title } = groupEvent(fields);
  return { ...event, fingerprint, title, issueId: issueIdOf(event.websiteId, fingerprint), urlTemplate: url == null ? null : templateUrl(url) };
}

/**
 * Stores one event durably (resolves only after its transaction committed).
 * A message_id seen before is not stored again and resolves `{ duplicate: true }`.
 */
export async function ingestEvent(event: ParsedEvent): Promise<{ duplicate: boolean }> {
  const stored = await committer().submit(toEventRecord(event));
  return { duplicate: !stored };
}

export type Rejection = { reason: string; details: unknown; contentType: string | null; body: Buffer };

/**
 * The reason and details as PostgreSQL text and jsonb can hold them: they quote the refused
 * delivery's keys and values, which may hold NUL or unpaired surrogates (U+FFFD instead).
 */
function storableText(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD").toWellFormed();
  if (Array.isArray(value)) return value.map(storableText);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), storableText(child)]));
}

/** Keeps a delivery we refused for its content, byte for byte, with the reason. */
export async function recordRejectedDelivery(rejection: Rejection): Promise<void> {
  await db().rejectedDelivery.create({
    data: {
      reason: storableText(rejection.reason) as string,
      details: rejection.details == null ? undefined : (storableText(rejection.details) as object),
      contentType: rejection.contentType,
      body: new Uint8Array(rejection.body),
    },
  });
}
