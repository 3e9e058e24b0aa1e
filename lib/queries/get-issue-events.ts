import { z } from "zod";
import { listPaging } from "../api/params";
import { db } from "../db/client";
import { rangeOf } from "./get-timeseries";
import { eventCursor, eventFields, eventPage, type EventRow } from "./event-rows";
import { issueRangeQuery } from "./get-issue";

export const issueEventsQuery = z.intersection(issueRangeQuery, listPaging);
export type IssueEventsQuery = z.infer<typeof issueEventsQuery>;

type Row = EventRow & {
  received_at: Date;
  visitor_id: string;
  visitor_name: string | null;
  visitor_email: string | null;
  city: string | null;
  region: string | null;
  payload: Record<string, unknown> | null;
};

/** Payload keys shown in their own fields; anything else LiveSession sends lands in `extra`. */
const SHOWN_KEYS = new Set(["event_name", "time", "visitor", "value", "count", "method", "url", "status", "message", "messsage", "clicks", "name", "properties"]);

function extraFields(payload: Record<string, unknown> | null): Record<string, unknown> {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return {};
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !SHOWN_KEYS.has(key)));
}

/**
 * One issue's events in the range, newest first, with everything about each: its message or
 * request, properties, the visitor (profile as of their latest event, country and city as of
 * this event), and any payload fields beyond the documented ones (`extra`). `url` is the
 * request URL of a NetError, or the page URL when the delivery carries one. Keyset paging.
 */
export async function getIssueEvents(issueId: string, q: IssueEventsQuery) {
  const { from, to } = rangeOf(q);
  const after = eventCursor(q.cursor);
  const rows = await db().$queryRaw<Row[]>`
    SELECT e.id::text AS id, e.message_id, e.kind, e.occurred_at, e.received_at, e.visitor_id,
      v.name AS visitor_name, v.email AS visitor_email, e.country_code,
      e.raw #>> '{payload,visitor,geolocation,city}' AS city, e.raw #>> '{payload,visitor,geolocation,region}' AS region,
      e.message, e.count, e.method, coalesce(e.url, e.raw #>> '{payload,url}') AS url, e.url_template, e.status, e.clicks,
      e.name, e.properties, e.property_errors, e.raw -> 'payload' AS payload
    FROM events e
    LEFT JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
    WHERE e.issue_id = ${issueId}::bigint AND e.website_id = ${q.websiteId} AND e.occurred_at >= ${from} AND e.occurred_at < ${to}
      AND (${after?.[0] ?? null}::timestamptz IS NULL
        OR e.occurred_at < ${after?.[0] ?? null}::timestamptz
        OR (e.occurred_at = ${after?.[0] ?? null}::timestamptz AND e.id < ${after?.[1] ?? null}::bigint))
    ORDER BY e.occurred_at DESC, e.id DESC
    LIMIT ${q.limit + 1}`;
  const { page, nextCursor } = eventPage(rows, q.limit);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    events: page.map((r) => ({
      ...eventFields(r),
      receivedAt: r.received_at.toISOString(),
      visitor: { id: r.visitor_id, name: r.visitor_name, email: r.visitor_email },
      city: r.city,
      region: r.region,
      properties: r.properties ?? null,
      propertyErrors: r.property_errors ?? null,
      extra: extraFields(r.payload),
    })),
    nextCursor,
  };
}
