import { db } from "../db/client";
import { liveFilterSql } from "../realtime/filter-sql";
import type { LiveFilters } from "../realtime/filters";

export type LatestEvent = {
  messageId: string;
  websiteId: string;
  kind: string;
  occurredAt: Date;
  visitorId: string;
  visitorName: string | null;
  visitorEmail: string | null;
  countryCode: string | null;
  city: string | null;
  /** The message, URL or name that says what happened. */
  summary: string | null;
  status: number | null;
  method: string | null;
};

/**
 * The newest events with their visitor, for the events list on `/` (of one website, if given),
 * narrowed by the view's filters with the same rules as the stats and the live socket.
 */
export async function getLatestEvents(limit: number, websiteId: string | null = null, f: LiveFilters = {}): Promise<LatestEvent[]> {
  return db().$queryRaw<LatestEvent[]>`
    SELECT e.message_id AS "messageId", e.website_id AS "websiteId", e.kind, e.occurred_at AS "occurredAt",
      e.visitor_id AS "visitorId", v.name AS "visitorName", v.email AS "visitorEmail",
      e.country_code AS "countryCode", v.city,
      coalesce(e.message, e.url, e.name) AS summary, e.status, e.method
    FROM events e
    LEFT JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
    WHERE (${websiteId}::text IS NULL OR e.website_id = ${websiteId}) ${liveFilterSql(f)}
    ORDER BY e.occurred_at DESC, e.id DESC
    LIMIT ${limit}`;
}
