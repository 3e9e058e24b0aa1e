import { z } from "zod";
import { decodeCursor, encodeCursor } from "../api/params";

// What the per-event lists (an issue's events, a visitor's timeline) share: the columns of an
// event they both read, their JSON spelling, and the keyset paging by (occurred_at, id) newest first.

/** The event columns both lists select (`id` as text: 64-bit ids lose precision as numbers). */
export type EventRow = {
  id: string;
  message_id: string;
  kind: string;
  occurred_at: Date;
  country_code: string | null;
  message: string | null;
  count: number | null;
  method: string | null;
  url: string | null;
  url_template: string | null;
  status: number | null;
  clicks: number | null;
  name: string | null;
  properties: unknown;
  property_errors: unknown;
};

/** An event's own fields as the APIs spell them. */
export function eventFields(r: EventRow) {
  return {
    messageId: r.message_id,
    kind: r.kind,
    occurredAt: r.occurred_at.toISOString(),
    countryCode: r.country_code,
    message: r.message,
    count: r.count,
    method: r.method,
    url: r.url,
    urlTemplate: r.url_template,
    status: r.status,
    clicks: r.clicks,
    name: r.name,
  };
}

const cursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^\d{1,19}$/)]);

/** The (occurred_at, id) to continue below, from a `cursor` parameter; null for the first page. */
export function eventCursor(cursor: string | undefined): [Date, string] | null {
  if (!cursor) return null;
  const [at, id] = decodeCursor(cursor, cursorSchema);
  return [new Date(at), id];
}

/** A page from `limit + 1` rows read newest first, and the cursor of the next page when there is one. */
export function eventPage<T extends Pick<EventRow, "id" | "occurred_at">>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor([last.occurred_at.toISOString(), last.id]) : null };
}
