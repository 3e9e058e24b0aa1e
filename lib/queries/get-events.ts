import { z } from "zod";
import { dateRange, decodeCursor, encodeCursor, eventFilters, paging } from "../api/params";
import { db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";

export const eventsQuery = z.intersection(z.intersection(eventFilters, dateRange), paging);
export type EventsQuery = z.infer<typeof eventsQuery>;

const cursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^\d+$/)]);

const SELECT = {
  id: true,
  messageId: true,
  websiteId: true,
  accountId: true,
  kind: true,
  occurredAt: true,
  receivedAt: true,
  visitorId: true,
  issueId: true,
  countryCode: true,
  message: true,
  count: true,
  method: true,
  url: true,
  urlTemplate: true,
  status: true,
  clicks: true,
  name: true,
  properties: true,
  propertyErrors: true,
  raw: true,
} satisfies Prisma.EventSelect;

type Row = Prisma.EventGetPayload<{ select: typeof SELECT }>;

const COMMON_PAYLOAD_KEYS = new Set(["event_name", "time", "visitor"]);

/** The fields of the event's kind, named as LiveSession names them. */
function kindFields(row: Row): Record<string, unknown> {
  switch (row.kind) {
    case "JSError":
      return { value: row.message, count: row.count };
    case "NetError":
      return { method: row.method, url: row.url, urlTemplate: row.urlTemplate, status: row.status };
    case "ErrorClick":
      return { message: row.message };
    case "RageClick":
      return { clicks: row.clicks };
    case "Custom":
      return { name: row.name, properties: row.properties, propertyErrors: row.propertyErrors };
    default: {
      const payload = (row.raw as { payload?: Record<string, unknown> }).payload ?? {};
      return { fields: Object.fromEntries(Object.entries(payload).filter(([key]) => !COMMON_PAYLOAD_KEYS.has(key))) };
    }
  }
}

export type EventView = ReturnType<typeof toView>;

function toView(row: Row) {
  return {
    messageId: row.messageId,
    websiteId: row.websiteId,
    accountId: row.accountId,
    kind: row.kind,
    occurredAt: row.occurredAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    visitorId: row.visitorId,
    // A 64-bit id: a string, since JSON numbers lose precision past 2^53.
    issueId: row.issueId.toString(),
    countryCode: row.countryCode,
    ...kindFields(row),
  };
}

/** Stored events, newest first, with keyset pagination. */
export async function getEvents(query: EventsQuery): Promise<{ events: EventView[]; nextCursor: string | null }> {
  const where: Prisma.EventWhereInput = {
    websiteId: query.websiteId,
    kind: query.kind ? { in: query.kind } : undefined,
    visitorId: query.visitorId,
    issueId: query.issueId == null ? undefined : BigInt(query.issueId),
    urlTemplate: query.url,
    occurredAt: { gte: query.from ? new Date(query.from) : undefined, lte: query.to ? new Date(query.to) : undefined },
    AND: [
      // "" (`country=`) is unknown: stored as null.
      ...(query.country === undefined ? [] : [query.country === "" ? { OR: [{ countryCode: null }, { countryCode: "" }] } : { countryCode: query.country }]),
      // Typed: jsonb equality, so items_int:3 does not match "3".
      ...(query.prop ? [{ properties: { path: [query.prop.name], equals: query.prop.value } }] : []),
    ],
  };
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, cursorSchema);
    const occurredAt = new Date(at);
    where.OR = [{ occurredAt: { lt: occurredAt } }, { occurredAt, id: { lt: BigInt(id) } }];
  }
  const rows = await db().event.findMany({
    where,
    select: SELECT,
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor([last.occurredAt.toISOString(), last.id.toString()]) : null;
  return { events: page.map(toView), nextCursor };
}
