// Every table ingest derives from events (lib/ingest/store.ts), described once: what a removed
// event added to it, so removing events (retention, erasing a visitor) takes it back out.
// A new rollup table is one more entry here.
import { ERROR_LIKE_KINDS, PRESENCE_CHUNK_BITS } from "../queries/range";

/** Removed events (`r`, columns of lifecycle_removed) with their visitor (`v`, visitors). */
export const REMOVED_FROM = "lifecycle_removed r JOIN visitors v ON v.website_id = r.website_id AND v.id = r.visitor_id";

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(", ");
const ERROR_LIKE = `(${sqlList(ERROR_LIKE_KINDS)})`;
const bin = (interval: string) => `date_bin('${interval}', r.occurred_at, 'epoch'::timestamptz)`;
/** An hourly bucket `g.bucket` still holds event `e`. */
const inHour = "e.occurred_at >= g.bucket AND e.occurred_at < g.bucket + interval '1 hour'";

/** A table of counters: each removed event is subtracted from its row; a row down to zero goes. */
export type CountTable = {
  table: string;
  /** Key column -> its value for a removed event. */
  key: Record<string, string>;
  /** Counter column -> how many of a row's removed events it counted. */
  counts: Record<string, string>;
  /** Which removed events the table counted (all when unset). */
  where?: string;
  /** More FROM items (a removed event counted in several rows). */
  join?: string;
  /** Ingest updates it after the visitors and their bits, so removal does too (lock order). */
  lockedLast?: boolean;
};

/**
 * A table of visitor bits (bit visitors.num % PRESENCE_CHUNK_BITS of chunk num / PRESENCE_CHUNK_BITS):
 * a removed event's bit is cleared unless another event of the same visitor (`e`) still sets it.
 */
export type BitsTable = {
  table: string;
  /** Key column (besides chunk) -> its value for a removed event. */
  key: Record<string, string>;
  /** Which removed events set a bit. */
  where?: string;
  /** Whether a remaining event `e` of the visitor sets the bit of row `g` (its key columns). */
  stillSet: string;
};

const KIND_COLUMNS: Record<string, string> = {
  js_errors: "JSError",
  net_errors: "NetError",
  error_clicks: "ErrorClick",
  rage_clicks: "RageClick",
  custom_events: "Custom",
};

export const COUNT_TABLES: CountTable[] = [
  { table: "rollup_kind_15m", key: { website_id: "r.website_id", bucket: bin("15 minutes"), kind: "r.kind" }, counts: { events: "count(*)" } },
  {
    table: "rollup_country_1h",
    key: { website_id: "r.website_id", bucket: bin("1 hour"), kind: "r.kind", country_code: "coalesce(r.country_code, '')" },
    counts: { events: "count(*)" },
  },
  { table: "rollup_issue_1h", key: { issue_id: "r.issue_id", bucket: bin("1 hour") }, counts: { events: "count(*)" } },
  { table: "rollup_issue_1d", key: { issue_id: "r.issue_id", bucket: bin("1 day") }, counts: { events: "count(*)" } },
  {
    table: "rollup_visitor_1d",
    key: { website_id: "r.website_id", bucket: bin("1 day"), visitor_id: "r.visitor_id", kind: "r.kind" },
    counts: { events: "count(*)" },
  },
  {
    table: "rollup_visitor_days",
    key: {
      website_id: "r.website_id",
      days: "span.days",
      bucket: "date_bin(make_interval(days => span.days), r.occurred_at, 'epoch'::timestamptz)",
      visitor_num: "v.num",
    },
    counts: Object.fromEntries(Object.entries(KIND_COLUMNS).map(([column, kind]) => [column, `count(*) FILTER (WHERE r.kind = '${kind}')`])),
    where: `r.kind IN (${sqlList(Object.values(KIND_COLUMNS))})`,
    join: "CROSS JOIN (VALUES (1), (7)) AS span(days)",
    lockedLast: true,
  },
];

/** Per-hour presence bits: touched by the removal of old events only (ingest writes recent hours). */
export const HOURLY_BITS_TABLES: BitsTable[] = [
  {
    table: "rollup_visitor_bits_1h",
    key: { website_id: "r.website_id", bucket: bin("1 hour") },
    where: `r.kind IN ${ERROR_LIKE}`,
    stillSet: `${inHour} AND e.kind IN ${ERROR_LIKE}`,
  },
  {
    table: "rollup_visitor_kind_bits_1h",
    key: { website_id: "r.website_id", bucket: bin("1 hour"), kind: "r.kind" },
    where: `r.kind IN ${ERROR_LIKE}`,
    stillSet: `${inHour} AND e.kind = g.kind`,
  },
  {
    table: "rollup_country_bits_1h",
    key: { website_id: "r.website_id", bucket: bin("1 hour"), country_code: "coalesce(r.country_code, '')" },
    where: `r.kind IN ${ERROR_LIKE}`,
    stillSet: `${inHour} AND e.kind IN ${ERROR_LIKE} AND coalesce(e.country_code, '') = g.country_code`,
  },
];


/** Subtracts the removed events from a counter table. */
export function countTableSql(t: CountTable): string {
  const keys = Object.keys(t.key);
  const counters = Object.keys(t.counts);
  const match = keys.map((k) => `t.${k} = g.${k}`).join(" AND ");
  const emptied = counters.map((c) => `t.${c} - g.${c} <= 0`).join(" AND ");
  return `WITH g AS (
      SELECT ${[...keys.map((k) => `${t.key[k]} AS ${k}`), ...counters.map((c) => `(${t.counts[c]})::int AS ${c}`)].join(", ")}
      FROM ${REMOVED_FROM} ${t.join ?? ""}
      WHERE ${t.where ?? "true"}
      GROUP BY ${keys.map((_, i) => i + 1).join(", ")}
    ), emptied AS (
      DELETE FROM ${t.table} t USING g WHERE ${match} AND ${emptied}
    )
    UPDATE ${t.table} t SET ${counters.map((c) => `${c} = t.${c} - g.${c}`).join(", ")}
    FROM g WHERE ${match} AND NOT (${emptied})`;
}

/**
 * Clears bits in `table`: `masks` is a query of key columns `keys`, `chunk` and `mask` (the bits
 * to clear); a row left with no bits goes.
 */
function clearBitsSql(table: string, keys: string[], masks: string): string {
  const match = [...keys, "chunk"].map((k) => `t.${k} = c.${k}`).join(" AND ");
  const left = `bit_count(t.bits & ~c.mask) = 0`;
  return `WITH c AS (${masks}), emptied AS (
      DELETE FROM ${table} t USING c WHERE ${match} AND ${left}
    )
    UPDATE ${table} t SET bits = t.bits & ~c.mask FROM c WHERE ${match} AND NOT ${left}`;
}

const chunkOf = (num: string) => `${num} / ${PRESENCE_CHUNK_BITS}`;
const maskOf = (num: string) => `bit_or(B'1'::bit(${PRESENCE_CHUNK_BITS}) >> (${num} % ${PRESENCE_CHUNK_BITS}))`;

/** Clears the bits of visitors left without an event that sets them. */
export function bitsTableSql(t: BitsTable): string {
  const keys = Object.keys(t.key);
  return clearBitsSql(
    t.table,
    keys,
    `WITH g AS (
        SELECT DISTINCT ${keys.map((k) => `${t.key[k]} AS ${k}`).join(", ")}, r.website_id AS of_website, r.visitor_id AS of_visitor, v.num AS num
        FROM ${REMOVED_FROM}
        WHERE ${t.where ?? "true"}
      )
      SELECT ${keys.join(", ")}, ${chunkOf("num")} AS chunk, ${maskOf("num")} AS mask
      FROM g
      WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.website_id = g.of_website AND e.visitor_id = g.of_visitor AND ${t.stillSet})
      GROUP BY ${[...keys, "chunk"].join(", ")}`,
  );
}

/**
 * Each issue's visitors as bits (issue_visitor_bits): clears the bits of the pairs of an issue and
 * a visitor removed from issue_visitors (lifecycle_lost_pairs), whose visitor has no event of
 * the issue left.
 */
export const ISSUE_BITS_SQL = clearBitsSql(
  "issue_visitor_bits",
  ["issue_id"],
  `SELECT l.issue_id, ${chunkOf("v.num")} AS chunk, ${maskOf("v.num")} AS mask
   FROM lifecycle_lost_pairs l JOIN visitors v ON v.website_id = l.website_id AND v.id = l.visitor_id
   GROUP BY 1, 2`,
);
