import { z } from "zod";
import { dateRange, issueIdParam, kindList, listPaging } from "../api/params";
import { db } from "../db/client";
import { eventCursor, eventFields, eventPage, type EventRow } from "./event-rows";
import { requireVisitor } from "./get-visitor";

// A visitor's timeline: every event, newest first. `from`/`to` are optional here (no bound
// when absent, unlike the stats APIs), since one visitor's events are read through the
// (website_id, visitor_id, occurred_at) index however long ago they happened. The view's
// filters narrow it: kinds, the event's country ("" for unknown), an issue, a URL (the
// request's URL or its template) and a custom property (`prop=key:value`, its value as text).
export const visitorEventsQuery = z.intersection(
  z.intersection(
    z.object({
      websiteId: z.string().min(1).max(255),
      kind: kindList.optional(),
      country: z.string().max(16).optional(),
      issueId: issueIdParam.optional(),
      url: z.string().min(1).max(2000).optional(),
      prop: z
        .string()
        .regex(/^[^:]{1,200}:[\s\S]{0,500}$/, "Expected key:value")
        .optional(),
    }),
    listPaging,
  ),
  dateRange,
);
export type VisitorEventsQuery = z.infer<typeof visitorEventsQuery>;

type Row = EventRow & {
  issue_id: string;
  issue_title: string | null;
  payload: unknown;
};

const KNOWN_KINDS = new Set(["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]);
const COMMON_PAYLOAD_KEYS = new Set(["event_name", "time", "visitor"]);

export type PropertyError = { key: string; problem: string; expected?: string; actual?: string };

function toEvent(row: Row) {
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  return {
    ...eventFields(row),
    // 64-bit ids as strings: JSON numbers lose precision past 2^53.
    issueId: row.issue_id,
    issueTitle: row.issue_title,
    properties: (row.properties ?? null) as Record<string, unknown> | null,
    propertyErrors: (Array.isArray(row.property_errors) ? row.property_errors : []) as PropertyError[],
    // Kinds LiveSession adds later: their own payload fields, as received.
    fields: KNOWN_KINDS.has(row.kind)
      ? null
      : Object.fromEntries(Object.entries(payload).filter(([key]) => !COMMON_PAYLOAD_KEYS.has(key))),
  };
}

export type VisitorEvent = ReturnType<typeof toEvent>;

/** One visitor's events, newest first (ties by id), keyset-paged; 404 for an unknown visitor. */
export async function getVisitorEvents(id: string, q: VisitorEventsQuery): Promise<{ events: VisitorEvent[]; nextCursor: string | null }> {
  await requireVisitor(q.websiteId, id);
  const kinds = q.kind ?? null;
  const country = q.country ?? null;
  const issueId = q.issueId ?? null;
  const url = q.url ?? null;
  const colon = q.prop?.indexOf(":") ?? -1;
  const propKey = q.prop ? q.prop.slice(0, colon) : null;
  const propValue = q.prop ? q.prop.slice(colon + 1) : null;
  const from = q.from ? new Date(q.from) : null;
  const to = q.to ? new Date(q.to) : null;
  const after = eventCursor(q.cursor);
  const rows = await db().$queryRaw<Row[]>`
    SELECT e.id::text AS id, e.message_id, e.kind, e.occurred_at, e.issue_id::text AS issue_id, i.title AS issue_title,
      e.country_code, e.message, e.count, e.method, e.url, e.url_template, e.status, e.clicks, e.name,
      e.properties, e.property_errors,
      CASE WHEN e.kind = ANY(${[...KNOWN_KINDS]}::text[]) THEN NULL ELSE e.raw -> 'payload' END AS payload
    FROM events e LEFT JOIN issues i ON i.id = e.issue_id
    WHERE e.website_id = ${q.websiteId} AND e.visitor_id = ${id}
      AND (${kinds}::text[] IS NULL OR e.kind = ANY(${kinds}::text[]))
      AND (${country}::text IS NULL OR coalesce(e.country_code, '') = ${country})
      AND (${issueId}::bigint IS NULL OR e.issue_id = ${issueId}::bigint)
      AND (${url}::text IS NULL OR e.url = ${url} OR e.url_template = ${url})
      AND (${propKey}::text IS NULL OR e.properties ->> ${propKey}::text = ${propValue}::text)
      AND (${from}::timestamptz IS NULL OR e.occurred_at >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR e.occurred_at < ${to}::timestamptz)
      AND (${after?.[0] ?? null}::timestamptz IS NULL
        OR e.occurred_at < ${after?.[0] ?? null}::timestamptz
        OR (e.occurred_at = ${after?.[0] ?? null}::timestamptz AND e.id < ${after?.[1] ?? null}::bigint))
    ORDER BY e.occurred_at DESC, e.id DESC
    LIMIT ${q.limit + 1}`;
  const { page, nextCursor } = eventPage(rows, q.limit);
  return { events: page.map(toEvent), nextCursor };
}
