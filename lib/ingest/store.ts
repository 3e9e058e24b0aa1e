import { db } from "../db/client";
import type { ParsedEvent } from "../livesession/parse";
import { Prisma } from "../generated/prisma/client";
import { ERROR_LIKE_KINDS, PRESENCE_CHUNK_BITS } from "../queries/range";

/** The bit(n) type's length, a constant of the schema (not a value). */
const PRESENCE_CHUNK_BITS_SQL = Prisma.raw(String(PRESENCE_CHUNK_BITS));

/** What storing an event did to its issue: created it, or reopened a resolved one as regressed. */
export type IssueChange = "new" | "regressed";

/**
 * A parsed event with its issue, ready to be written. `issueId` is a bigint in decimal: its
 * fingerprint's issue, or once stored, the issue it was counted on (a merge's target), and
 * `issueChange` what the statement that stored it did to that issue (for alerts).
 */
export type EventRecord = ParsedEvent & { issueId: string; fingerprint: string; title: string; urlTemplate: string | null; issueChange?: IssueChange };

// The hot path writes a batch with one statement, sent as one JSON parameter unpacked with
// jsonb_to_recordset: one round trip, and PostgreSQL parses the rows in C.

const knownWebsites = new Set<string>();

function field(event: EventRecord, key: string): unknown {
  return (event.fields as Record<string, unknown>)[key] ?? null;
}

/** Records websites and accounts this process has not written yet (idempotent). */
async function recordWebsites(events: EventRecord[]): Promise<void> {
  const sites = new Map<string, string | null>();
  for (const e of events) if (!knownWebsites.has(e.websiteId)) sites.set(e.websiteId, e.accountId ?? sites.get(e.websiteId) ?? null);
  if (sites.size === 0) return;
  const rows = JSON.stringify([...sites].sort().map(([id, account_id]) => ({ id, account_id })));
  await db().$executeRaw`
    WITH input AS (SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS t(id text, account_id text)),
    accounts_in AS (
      INSERT INTO accounts (id) SELECT DISTINCT account_id FROM input WHERE account_id IS NOT NULL ORDER BY 1
      ON CONFLICT (id) DO NOTHING
    )
    INSERT INTO websites (id, account_id) SELECT id, account_id FROM input
    ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id
    WHERE websites.account_id IS NULL AND excluded.account_id IS NOT NULL`;
  for (const id of sites.keys()) knownWebsites.add(id);
}

function eventRow(e: EventRecord) {
  return {
    message_id: e.messageId,
    webhook_id: e.webhookId,
    webhook_type: e.webhookType,
    api_version: e.apiVersion,
    account_id: e.accountId,
    website_id: e.websiteId,
    fingerprint_issue_id: e.issueId,
    fingerprint: e.fingerprint,
    title: e.title,
    kind: e.fields.kind,
    occurred_at: e.occurredAt,
    created_at: e.createdAt,
    time_raw: e.timeRaw == null ? null : String(e.timeRaw),
    visitor_id: e.visitor.id,
    visitor_name: e.visitor.name,
    visitor_email: e.visitor.email,
    visitor_params: e.visitor.params,
    country_code: e.visitor.countryCode,
    city: e.visitor.city,
    region: e.visitor.region,
    message: field(e, "message"),
    count: field(e, "count"),
    method: field(e, "method"),
    url: field(e, "url"),
    url_template: e.urlTemplate,
    status: field(e, "status"),
    clicks: field(e, "clicks"),
    name: field(e, "name"),
    properties: field(e, "properties"),
    property_errors: field(e, "propertyErrors"),
  };
}

/**
 * The batch as a JSON array of rows. Each delivery's raw text is already valid JSON (it was
 * parsed), so it is spliced in as the `raw` value rather than escaped into a string.
 */
function eventRows(events: EventRecord[]): string {
  return `[${events.map((e) => `{"raw":${e.raw},${JSON.stringify(eventRow(e)).slice(1)}`).join(",")}]`;
}

/**
 * The state an issue with `newEvents` more events moves to, as SQL over its row `r`: a resolved
 * issue regresses; an ignored one whose date has passed, or whose event count now exceeds its
 * threshold, opens again (not "regressed": it was never fixed); anything else stays.
 */
function nextStatusSql(r: string, newEvents: Prisma.Sql): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${r}.${name}`);
  return Prisma.sql`CASE
    WHEN ${col("status")} = 'resolved' THEN 'regressed'
    WHEN ${col("status")} = 'ignored' AND ((${col("ignore_kind")} = 'until' AND ${col("ignore_until")} <= now())
      OR (${col("ignore_kind")} = 'events' AND ${col("event_count")} + ${newEvents} > ${col("ignore_until_events")})) THEN 'open'
    ELSE ${col("status")} END`;
}

/**
 * Inserts the events (a message_id already stored is skipped) and, for the ones inserted,
 * creates or updates their issues (counts, first/last seen, distinct visitors, state changes),
 * adds them to the rollup tables, and upserts their visitors with the profile of their latest
 * event, all in one statement. An event whose fingerprint's issue was merged is counted on
 * the merge's target, everywhere. Rows are taken in sorted order so concurrent writers lock
 * them in the same order. Returns each inserted event's issue, and whether this statement
 * created that issue or made it regress.
 */
async function insertEvents(events: EventRecord[]): Promise<Map<string, { issueId: string; change: IssueChange | null }>> {
  const next = nextStatusSql("old", Prisma.sql`excluded.event_count`);
  const changed = Prisma.sql`(${next}) <> old.status`;
  const inserted = await db().$queryRaw<{ message_id: string; issue_id: string; issue_change: IssueChange | null }[]>`
    WITH input AS (
      SELECT t.*, coalesce(m.target_issue_id, t.fingerprint_issue_id) AS issue_id
      FROM jsonb_to_recordset(${eventRows(events)}::jsonb) AS t(
        message_id text, webhook_id text, webhook_type text, api_version text, account_id text,
        website_id text, fingerprint_issue_id bigint, fingerprint text, title text, kind text, occurred_at timestamptz,
        created_at timestamptz, time_raw numeric, visitor_id text, visitor_name text, visitor_email text,
        visitor_params jsonb, country_code text, city text, region text, message text, count int, method text,
        url text, url_template text, status int, clicks int, name text, properties jsonb, property_errors jsonb,
        raw jsonb)
      LEFT JOIN issue_merges m ON m.source_issue_id = t.fingerprint_issue_id
    ), ins AS (
      INSERT INTO events (message_id, webhook_id, webhook_type, api_version, account_id, website_id, kind,
        occurred_at, created_at, time_raw, visitor_id, issue_id, country_code, message, count, method, url,
        url_template, status, clicks, name, properties, property_errors, raw)
      SELECT message_id, webhook_id, webhook_type, api_version, account_id, website_id, kind,
        occurred_at, created_at, time_raw, visitor_id, issue_id, country_code, message, count, method, url,
        url_template, status, clicks, name, properties, property_errors, raw
      FROM input ORDER BY message_id
      ON CONFLICT (message_id) DO NOTHING
      RETURNING message_id, issue_id
    ), stored AS (
      SELECT input.* FROM input JOIN ins USING (message_id)
    ), new_pairs AS (
      INSERT INTO issue_visitors (issue_id, visitor_id)
      SELECT DISTINCT issue_id, visitor_id FROM stored ORDER BY 1, 2
      ON CONFLICT DO NOTHING
      RETURNING issue_id, visitor_id
    ), per_issue AS (
      SELECT DISTINCT ON (s.issue_id) s.issue_id, s.website_id, s.fingerprint, s.kind, s.title,
        agg.n, agg.first_seen, agg.last_seen, coalesce(v.n, 0) AS new_visitors
      FROM stored s
      JOIN (SELECT issue_id, count(*)::int AS n, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
            FROM stored GROUP BY issue_id) agg USING (issue_id)
      LEFT JOIN (SELECT issue_id, count(*)::int AS n FROM new_pairs GROUP BY issue_id) v USING (issue_id)
      ORDER BY s.issue_id, s.occurred_at
    ), locked AS (
      -- The existing issues' latest rows, locked before the upsert, so the state changes logged
      -- below are exactly the ones it makes (a concurrent triage waits for this commit).
      SELECT i.id, i.status, i.ignore_kind, i.ignore_until, i.ignore_until_events, i.event_count
      FROM issues i WHERE i.id IN (SELECT issue_id FROM per_issue)
      ORDER BY i.id FOR UPDATE
    ), issue_rows AS (
      INSERT INTO issues AS old (id, website_id, fingerprint, kind, title, first_seen, last_seen, event_count, visitor_count)
      SELECT p.issue_id, p.website_id, p.fingerprint, p.kind, p.title, p.first_seen, p.last_seen, p.n, p.new_visitors
      FROM per_issue p LEFT JOIN locked l ON l.id = p.issue_id
      ORDER BY p.issue_id
      ON CONFLICT (id) DO UPDATE SET
        event_count = old.event_count + excluded.event_count,
        visitor_count = old.visitor_count + excluded.visitor_count,
        first_seen = least(old.first_seen, excluded.first_seen),
        last_seen = greatest(old.last_seen, excluded.last_seen),
        status = ${next},
        ignore_kind = CASE WHEN ${changed} THEN NULL ELSE old.ignore_kind END,
        ignore_until = CASE WHEN ${changed} THEN NULL ELSE old.ignore_until END,
        ignore_until_events = CASE WHEN ${changed} THEN NULL ELSE old.ignore_until_events END,
        status_changed_at = CASE WHEN ${changed} THEN now() ELSE old.status_changed_at END
      RETURNING id, xmax = 0 AS created
    ), state_changes AS (
      -- Logged as "system": the hook for alerts on a regression.
      INSERT INTO issue_activity (issue_id, actor_name, action, details)
      SELECT l.id, 'system', 'status', jsonb_build_object('from', l.status, 'to', ${nextStatusSql("l", Prisma.sql`p.n`)}, 'reason', 'event')
      FROM locked l JOIN per_issue p ON p.issue_id = l.id
      WHERE ${nextStatusSql("l", Prisma.sql`p.n`)} <> l.status
      ORDER BY l.id
      RETURNING issue_id, details->>'to' AS to_status
    ), kind_rollup AS (
      INSERT INTO rollup_kind_15m AS r (website_id, bucket, kind, events)
      SELECT website_id, date_bin('15 minutes', occurred_at, 'epoch'::timestamptz), kind, count(*)::int
      FROM stored GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (website_id, bucket, kind) DO UPDATE SET events = r.events + excluded.events
    ), country_rollup AS (
      INSERT INTO rollup_country_1h AS r (website_id, bucket, kind, country_code, events)
      SELECT website_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz), kind, coalesce(country_code, ''), count(*)::int
      FROM stored GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (website_id, bucket, kind, country_code) DO UPDATE SET events = r.events + excluded.events
    ), issue_rollup AS (
      INSERT INTO rollup_issue_1h AS r (issue_id, bucket, website_id, events)
      SELECT issue_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz), website_id, count(*)::int
      FROM stored GROUP BY 1, 2, 3 ORDER BY 1, 2
      ON CONFLICT (issue_id, bucket) DO UPDATE SET events = r.events + excluded.events
    ), issue_day_rollup AS (
      INSERT INTO rollup_issue_1d AS r (issue_id, bucket, website_id, events)
      SELECT issue_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz), website_id, count(*)::int
      FROM stored GROUP BY 1, 2, 3 ORDER BY 1, 2
      ON CONFLICT (issue_id, bucket) DO UPDATE SET events = r.events + excluded.events
    ), visitor_rollup AS (
      INSERT INTO rollup_visitor_1d AS r (website_id, bucket, visitor_id, kind, events)
      SELECT website_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz), visitor_id, kind, count(*)::int
      FROM stored GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (website_id, bucket, visitor_id, kind) DO UPDATE SET events = r.events + excluded.events
    ), per_visitor AS (
      SELECT website_id, visitor_id, min(occurred_at) AS first_seen, count(*)::int AS n
      FROM stored GROUP BY website_id, visitor_id
    ), visitor_rows AS (
      INSERT INTO visitors AS old (website_id, id, name, email, params, country_code, city, region, first_seen, last_seen, event_count)
      SELECT DISTINCT ON (s.website_id, s.visitor_id)
        s.website_id, s.visitor_id, s.visitor_name, s.visitor_email, coalesce(s.visitor_params, '[]'::jsonb),
        s.country_code, s.city, s.region, pv.first_seen, s.occurred_at, pv.n
      FROM stored s JOIN per_visitor pv USING (website_id, visitor_id)
      ORDER BY s.website_id, s.visitor_id, s.occurred_at DESC
      ON CONFLICT (website_id, id) DO UPDATE SET
        name = CASE WHEN excluded.last_seen >= old.last_seen THEN coalesce(excluded.name, old.name) ELSE old.name END,
        email = CASE WHEN excluded.last_seen >= old.last_seen THEN coalesce(excluded.email, old.email) ELSE old.email END,
        params = CASE WHEN excluded.last_seen >= old.last_seen THEN excluded.params ELSE old.params END,
        country_code = CASE WHEN excluded.last_seen >= old.last_seen THEN coalesce(excluded.country_code, old.country_code) ELSE old.country_code END,
        city = CASE WHEN excluded.last_seen >= old.last_seen THEN coalesce(excluded.city, old.city) ELSE old.city END,
        region = CASE WHEN excluded.last_seen >= old.last_seen THEN coalesce(excluded.region, old.region) ELSE old.region END,
        first_seen = least(old.first_seen, excluded.first_seen),
        last_seen = greatest(old.last_seen, excluded.last_seen),
        event_count = old.event_count + excluded.event_count
      RETURNING website_id, id, num
    ), issue_bits_rollup AS (
      -- Each issue's visitors as bits (visitors.num), for distinct visitors over several issues.
      INSERT INTO issue_visitor_bits AS r (issue_id, chunk, bits)
      SELECT np.issue_id, vr.num / ${PRESENCE_CHUNK_BITS}::int,
        bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS_SQL}) >> (vr.num % ${PRESENCE_CHUNK_BITS}::int))
      FROM new_pairs np
      JOIN (SELECT DISTINCT issue_id, website_id FROM stored) si USING (issue_id)
      JOIN visitor_rows vr ON vr.website_id = si.website_id AND vr.id = np.visitor_id
      GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (issue_id, chunk) DO UPDATE SET bits = r.bits | excluded.bits
    ), presence_rollup AS (
      -- Affected visitors: per website and hour, one bit per visitor number (in chunks of
      -- PRESENCE_CHUNK_BITS) for every visitor with an error or rage click.
      INSERT INTO rollup_visitor_bits_1h AS r (website_id, bucket, chunk, bits)
      SELECT s.website_id, date_bin('1 hour', s.occurred_at, 'epoch'::timestamptz), vr.num / ${PRESENCE_CHUNK_BITS}::int,
        bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS_SQL}) >> (vr.num % ${PRESENCE_CHUNK_BITS}::int))
      FROM stored s JOIN visitor_rows vr ON vr.website_id = s.website_id AND vr.id = s.visitor_id
      WHERE s.kind = ANY(${[...ERROR_LIKE_KINDS]}::text[])
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (website_id, bucket, chunk) DO UPDATE SET bits = r.bits | excluded.bits
    ), kind_presence_rollup AS (
      -- The same bits per kind, for affected visitors under a kind filter.
      INSERT INTO rollup_visitor_kind_bits_1h AS r (website_id, bucket, kind, chunk, bits)
      SELECT s.website_id, date_bin('1 hour', s.occurred_at, 'epoch'::timestamptz), s.kind, vr.num / ${PRESENCE_CHUNK_BITS}::int,
        bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS_SQL}) >> (vr.num % ${PRESENCE_CHUNK_BITS}::int))
      FROM stored s JOIN visitor_rows vr ON vr.website_id = s.website_id AND vr.id = s.visitor_id
      WHERE s.kind = ANY(${[...ERROR_LIKE_KINDS]}::text[])
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (website_id, bucket, kind, chunk) DO UPDATE SET bits = r.bits | excluded.bits
    ), country_presence_rollup AS (
      -- The same bits per country, for affected visitors under a country filter.
      INSERT INTO rollup_country_bits_1h AS r (website_id, bucket, country_code, chunk, bits)
      SELECT s.website_id, date_bin('1 hour', s.occurred_at, 'epoch'::timestamptz), coalesce(s.country_code, ''), vr.num / ${PRESENCE_CHUNK_BITS}::int,
        bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS_SQL}) >> (vr.num % ${PRESENCE_CHUNK_BITS}::int))
      FROM stored s JOIN visitor_rows vr ON vr.website_id = s.website_id AND vr.id = s.visitor_id
      WHERE s.kind = ANY(${[...ERROR_LIKE_KINDS]}::text[])
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (website_id, bucket, country_code, chunk) DO UPDATE SET bits = r.bits | excluded.bits
    ), visitor_days_rollup AS (
      -- Per visitor, day and epoch-aligned week, a column per known kind.
      INSERT INTO rollup_visitor_days AS r (website_id, days, bucket, visitor_num, js_errors, net_errors, error_clicks, rage_clicks, custom_events)
      SELECT s.website_id, span.days, date_bin(make_interval(days => span.days), s.occurred_at, 'epoch'::timestamptz), vr.num,
        count(*) FILTER (WHERE s.kind = 'JSError'), count(*) FILTER (WHERE s.kind = 'NetError'),
        count(*) FILTER (WHERE s.kind = 'ErrorClick'), count(*) FILTER (WHERE s.kind = 'RageClick'),
        count(*) FILTER (WHERE s.kind = 'Custom')
      FROM stored s JOIN visitor_rows vr ON vr.website_id = s.website_id AND vr.id = s.visitor_id
      CROSS JOIN (VALUES (1), (7)) AS span(days)
      WHERE s.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom')
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (website_id, days, bucket, visitor_num) DO UPDATE SET
        js_errors = r.js_errors + excluded.js_errors, net_errors = r.net_errors + excluded.net_errors,
        error_clicks = r.error_clicks + excluded.error_clicks, rage_clicks = r.rage_clicks + excluded.rage_clicks,
        custom_events = r.custom_events + excluded.custom_events
    )
    SELECT ins.message_id, ins.issue_id::text AS issue_id,
      CASE WHEN ir.created THEN 'new' WHEN sc.issue_id IS NOT NULL THEN 'regressed' END AS issue_change
    FROM ins
    LEFT JOIN issue_rows ir ON ir.id = ins.issue_id
    LEFT JOIN state_changes sc ON sc.issue_id = ins.issue_id AND sc.to_status = 'regressed'`;
  return new Map(inserted.map((r) => [r.message_id, { issueId: r.issue_id, change: r.issue_change }]));
}

/**
 * Writes a batch of events atomically. Returns, per event, whether it was new (false: its
 * message_id was stored before, or earlier in this batch); a new event's `issueId` becomes the
 * issue it was counted on, and its `issueChange` says whether the batch created that issue or
 * made it regress.
 */
export async function storeEvents(batch: EventRecord[]): Promise<boolean[]> {
  const unique = new Map<string, EventRecord>();
  for (const e of batch) if (!unique.has(e.messageId)) unique.set(e.messageId, e);
  await recordWebsites([...unique.values()]);
  const inserted = await insertEvents([...unique.values()]);
  return batch.map((e) => {
    const row = unique.get(e.messageId) === e ? inserted.get(e.messageId) : undefined;
    if (row === undefined) return false;
    e.issueId = row.issueId;
    if (row.change) e.issueChange = row.change;
    return true;
  });
}
