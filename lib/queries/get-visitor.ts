import { z } from "zod";
import { dateRange } from "../api/params";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { rangeOf } from "./get-timeseries";
import { FRUSTRATION_WEIGHTS, VISITOR_ERROR_KINDS } from "./get-visitors";
import { rangeLimit } from "./range";

/** A visitor id from the path (LiveSession's ids are UUIDs, but anything up to 255 characters is stored). */
export const visitorIdParam = z.string().min(1).max(255);

export const visitorQuery = z
  .intersection(z.object({ websiteId: z.string().min(1).max(255) }), dateRange)
  .refine(...rangeLimit);
export type VisitorQuery = z.infer<typeof visitorQuery>;

type ProfileRow = {
  id: string;
  website_id: string;
  name: string | null;
  email: string | null;
  params: unknown;
  country_code: string | null;
  region: string | null;
  city: string | null;
  first_seen: Date;
  last_seen: Date;
  event_count: number;
};

export type VisitorParam = { name: string; value: unknown };

/** visitors.params as stored (LiveSession's `[{name, value}]`), keeping only well-formed entries. */
function paramsOf(value: unknown): VisitorParam[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((p): p is { name: unknown; value: unknown } => typeof p === "object" && p !== null && "name" in p)
    .map((p) => ({ name: String(p.name), value: p.value ?? null }));
}

/** The visitor's stored profile, or null when the website has no such visitor. */
export async function findVisitor(websiteId: string, id: string) {
  const rows = await db().$queryRaw<ProfileRow[]>`
    SELECT id, website_id, name, email, params, country_code, region, city, first_seen, last_seen, event_count
    FROM visitors WHERE website_id = ${websiteId} AND id = ${id}`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    websiteId: row.website_id,
    name: row.name,
    email: row.email,
    countryCode: row.country_code,
    region: row.region,
    city: row.city,
    params: paramsOf(row.params),
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    eventCount: row.event_count,
  };
}

export type VisitorProfile = NonNullable<Awaited<ReturnType<typeof findVisitor>>>;

/** The visitor or a 404 in the API's error shape. */
export async function requireVisitor(websiteId: string, id: string): Promise<VisitorProfile> {
  const visitor = await findVisitor(websiteId, id);
  if (!visitor) throw new ApiError("not_found", "No such visitor on this website.");
  return visitor;
}

/**
 * Where this visitor's recordings are in LiveSession. Webhook payloads carry no session id or
 * session URL (see lib/livesession/fixtures), so no single recording can be linked
 * (`https://app.livesession.io/app/session/{visitor_id}/{session_id}` needs the session id).
 * LiveSession's own integrations link a person's sessions as the website's session list
 * filtered by the email given to `identify`:
 *   https://app.livesession.io/app/{website_id}/sessions?email={email}
 * Without an email, the link opens the website's session list (the page shows the visitor id
 * to search for there).
 */
export function liveSessionSessionsUrl(websiteId: string, email: string | null): string {
  const url = new URL(`https://app.livesession.io/app/${encodeURIComponent(websiteId)}/sessions`);
  if (email) url.searchParams.set("email", email);
  return url.toString();
}

/**
 * A visitor's profile with their events per kind in the range and all time, counted from raw
 * events through the (website_id, visitor_id, occurred_at) index, so the range is exact.
 */
export async function getVisitor(id: string, q: VisitorQuery) {
  const visitor = await requireVisitor(q.websiteId, id);
  const { from, to } = rangeOf(q);
  const rows = await db().$queryRaw<{ kind: string; all_time: number; in_range: number }[]>`
    SELECT kind, count(*)::int AS all_time,
      (count(*) FILTER (WHERE occurred_at >= ${from} AND occurred_at < ${to}))::int AS in_range
    FROM events WHERE website_id = ${q.websiteId} AND visitor_id = ${id}
    GROUP BY kind ORDER BY kind`;
  const inRange: Record<string, number> = {};
  const allTime: Record<string, number> = {};
  for (const row of rows) {
    allTime[row.kind] = row.all_time;
    if (row.in_range > 0) inRange[row.kind] = row.in_range;
  }
  const errorKinds: readonly string[] = VISITOR_ERROR_KINDS;
  const sum = (counts: Record<string, number>, keep: (kind: string) => boolean) =>
    Object.entries(counts).reduce((total, [kind, n]) => (keep(kind) ? total + n : total), 0);
  const errors = sum(inRange, (kind) => errorKinds.includes(kind));
  const rageClicks = inRange.RageClick ?? 0;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    visitor,
    totals: { range: inRange, allTime },
    events: sum(inRange, () => true),
    errors,
    rageClicks,
    frustration: errors * FRUSTRATION_WEIGHTS.error + rageClicks * FRUSTRATION_WEIGHTS.rageClick,
    sessionsUrl: liveSessionSessionsUrl(q.websiteId, visitor.email),
  };
}
