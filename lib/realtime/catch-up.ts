// The events a page missed between its server render and its socket's subscription.
import { db } from "../db/client";
import type { LiveFilters } from "./filters";
import { liveFilterSql } from "./filter-sql";
import { LIVE_TEXT_LIMIT, type LiveEvent } from "./live-event";

/** More than this to catch up on: the page re-reads its data instead. */
export const CATCH_UP_LIMIT = 2_000;
/** A `since` older than this is treated as this old (a page open that long resyncs anyway). */
const MAX_AGE_MS = 120_000;
const SCAN_LIMIT = 50_000;

/**
 * Events of a website received since `since` that match the filters, oldest first, or null
 * when there are more than CATCH_UP_LIMIT. Reads the newest rows by primary key (received_at
 * has no index), like lib/realtime/snapshot.ts.
 */
export async function eventsSince(websiteId: string, since: Date, f: LiveFilters): Promise<LiveEvent[] | null> {
  const from = new Date(Math.max(since.getTime(), Date.now() - MAX_AGE_MS));
  const rows = await db().$queryRaw<(Omit<LiveEvent, "occurredAt"> & { occurredAt: Date })[]>`
    SELECT e.message_id AS "messageId", e.website_id AS "websiteId", e.kind, e.occurred_at AS "occurredAt",
      e.visitor_id AS "visitorId", left(v.name, ${LIVE_TEXT_LIMIT}) AS "visitorName", left(v.email, ${LIVE_TEXT_LIMIT}) AS "visitorEmail",
      e.issue_id::text AS "issueId", left(i.title, ${LIVE_TEXT_LIMIT}) AS "issueTitle", e.country_code AS "countryCode", v.city,
      e.url_template AS "urlTemplate", left(e.url, ${LIVE_TEXT_LIMIT}) AS url, e.method, e.status, left(e.name, ${LIVE_TEXT_LIMIT}) AS name,
      left(e.message, ${LIVE_TEXT_LIMIT}) AS message
    FROM (SELECT * FROM events ORDER BY id DESC LIMIT ${SCAN_LIMIT}) e
    LEFT JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
    LEFT JOIN issues i ON i.id = e.issue_id
    WHERE e.website_id = ${websiteId} AND e.received_at >= ${from} ${liveFilterSql(f)}
    ORDER BY e.id
    LIMIT ${CATCH_UP_LIMIT + 1}`;
  if (rows.length > CATCH_UP_LIMIT) return null;
  return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), issueTitle: r.issueTitle ?? "" }));
}
