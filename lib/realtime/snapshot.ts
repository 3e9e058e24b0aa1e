// What a live page needs to join its server-rendered data with live events without missing
// or double-counting one (see components/live/use-live-snapshot.ts for the client half).
import { db } from "../db/client";

/** Events received this recently are listed by id with a snapshot. */
export const SNAPSHOT_WINDOW_SECONDS = 60;
/** At most this many ids (the newest); above ~80 events/s per website the window is shorter. */
export const SNAPSHOT_MAX_IDS = 5_000;
/** How far back from the newest event the ids are looked for (the primary key's order). */
const SCAN_LIMIT = 50_000;

export type LiveSnapshot = {
  /** Changes with every render: the client knows new data arrived. */
  key: string;
  /** message_ids of this website's events received in the last SNAPSHOT_WINDOW_SECONDS. */
  ids: string[];
  /** A little before the page's queries began: the socket catches up on events received since. */
  since: string;
  /**
   * False when an event was received since `since`: it may have committed while the queries
   * ran, counted by some and not others, so the page reads again (components/live/live-overview).
   */
  settled: boolean;
};

/** Transactions start (received_at) a little before they commit. */
const COMMIT_MARGIN_MS = 5_000;

/** Call BEFORE the page's queries (or pass when they began); pass the result to liveSnapshot. */
export function snapshotStart(queriesBegan = new Date()): Date {
  return new Date(queriesBegan.getTime() - COMMIT_MARGIN_MS);
}

/**
 * Call AFTER the page's queries: every event they counted was committed before this runs, so it
 * is in `ids` if it is recent; the client re-applies only live events that are not.
 */
export async function liveSnapshot(websiteId: string, since: Date): Promise<LiveSnapshot> {
  // The newest rows by primary key, then this website's recent ones: reads an index backwards
  // instead of every row of the website (received_at has no index).
  const rows = await db().$queryRaw<{ message_id: string; unsettled: boolean }[]>`
    SELECT message_id, received_at >= ${since} AS unsettled
    FROM (SELECT id, message_id, website_id, received_at FROM events ORDER BY id DESC LIMIT ${SCAN_LIMIT}) recent
    WHERE website_id = ${websiteId} AND received_at >= now() - make_interval(secs => ${SNAPSHOT_WINDOW_SECONDS})
    ORDER BY id DESC
    LIMIT ${SNAPSHOT_MAX_IDS}`;
  return {
    key: `${Date.now()}-${Math.random().toString(36).slice(2)}`,
    ids: rows.map((r) => r.message_id),
    since: since.toISOString(),
    settled: !rows.some((r) => r.unsettled),
  };
}
