// Integration: after realistic traffic (with retries), every rollup and counter agrees with
// the stored events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

let database: ScratchDatabase;
let server: AppServer;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url });
  const simulation = createSimulation({ seed: 11, visitors: 200, duplicateRate: 0.1 });
  const start = Date.parse("2026-11-28T00:00:00Z");
  const deliveries = Array.from({ length: 600 }, (_, i) => simulation.next(new Date(start + i * 97_000)));
  // Concurrently, so batches mix websites, kinds and repeats.
  for (let i = 0; i < deliveries.length; i += 50) {
    const replies = await Promise.all(deliveries.slice(i, i + 50).map((d) => postWebhook(server.url, d.body)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** Rows of `actual` and `expected` SQL, as sorted JSON, so a mismatch shows which group differs. */
async function rows(sql: string): Promise<string[]> {
  const { rows: result } = await database.query(sql);
  return result.map((r) => JSON.stringify(r)).sort();
}

describe("rollups and counters", () => {
  it("stored some of every kind, and skipped the repeats", async () => {
    const { rows: kinds } = await database.query("SELECT kind, count(*)::int AS n FROM events GROUP BY kind");
    expect(kinds.length).toBeGreaterThanOrEqual(5);
    const { rows: total } = await database.query("SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM events");
    expect(total[0].n).toBe(total[0].d);
    expect(total[0].n).toBeLessThan(600);
  });

  it("per 15 minutes and kind", async () => {
    expect(await rows("SELECT website_id, bucket, kind, events FROM rollup_kind_15m")).toEqual(
      await rows(`SELECT website_id, date_bin('15 minutes', occurred_at, 'epoch'::timestamptz) AS bucket, kind, count(*)::int AS events
                  FROM events GROUP BY 1, 2, 3`),
    );
  });

  it("per hour, kind and country", async () => {
    expect(await rows("SELECT website_id, bucket, kind, country_code, events FROM rollup_country_1h")).toEqual(
      await rows(`SELECT website_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, kind,
                    coalesce(country_code, '') AS country_code, count(*)::int AS events
                  FROM events GROUP BY 1, 2, 3, 4`),
    );
  });

  it("per issue and hour, per issue and day, and the issues' own counts", async () => {
    expect(await rows("SELECT issue_id, bucket, website_id, events FROM rollup_issue_1h")).toEqual(
      await rows(`SELECT issue_id, date_bin('1 hour', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
                  FROM events GROUP BY 1, 2, 3`),
    );
    expect(await rows("SELECT issue_id, bucket, website_id, events FROM rollup_issue_1d")).toEqual(
      await rows(`SELECT issue_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, website_id, count(*)::int AS events
                  FROM events GROUP BY 1, 2, 3`),
    );
    expect(await rows("SELECT id, event_count, visitor_count, first_seen, last_seen FROM issues")).toEqual(
      await rows(`SELECT issue_id AS id, count(*)::int AS event_count, count(DISTINCT visitor_id)::int AS visitor_count,
                    min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
                  FROM events GROUP BY issue_id`),
    );
  });

  it("affected visitors per hour as bits of their visitor numbers", async () => {
    const actual = await rows("SELECT website_id, bucket, chunk, bits::text AS bits FROM rollup_visitor_bits_1h");
    expect(actual.length).toBeGreaterThan(10);
    expect(actual).toEqual(
      await rows(`SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num / 4096 AS chunk,
                    bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
                  FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
                  WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick') GROUP BY 1, 2, 3`),
    );
    expect(await rows("SELECT website_id, bucket, kind, chunk, bits::text AS bits FROM rollup_visitor_kind_bits_1h")).toEqual(
      await rows(`SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, e.kind, v.num / 4096 AS chunk,
                    bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
                  FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
                  WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick') GROUP BY 1, 2, 3, 4`),
    );
    const countryBits = await rows("SELECT website_id, bucket, country_code, chunk, bits::text AS bits FROM rollup_country_bits_1h");
    expect(new Set(countryBits.map((r) => JSON.parse(r).country_code)).size).toBeGreaterThan(1);
    expect(countryBits).toEqual(
      await rows(`SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz) AS bucket, coalesce(e.country_code, '') AS country_code,
                    v.num / 4096 AS chunk, bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
                  FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
                  WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick') GROUP BY 1, 2, 3, 4`),
    );
    // Visitor numbers are distinct, so counting bits counts visitors.
    const { rows: counts } = await database.query(
      `SELECT (SELECT count(DISTINCT num)::int FROM visitors) AS nums, (SELECT count(*)::int FROM visitors) AS visitors,
         (SELECT sum(bit_count(b))::int FROM (SELECT bit_or(bits) AS b FROM rollup_visitor_bits_1h GROUP BY website_id, chunk) x) AS bits,
         (SELECT count(*)::int FROM (SELECT DISTINCT website_id, visitor_id FROM events
            WHERE kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')) x) AS affected`,
    );
    expect(counts[0].nums).toBe(counts[0].visitors);
    expect(counts[0].bits).toBe(counts[0].affected);
  });

  it("each issue's visitors as bits of their visitor numbers", async () => {
    const actual = await rows("SELECT issue_id, chunk, bits::text AS bits FROM issue_visitor_bits");
    expect(actual.length).toBeGreaterThan(5);
    expect(actual).toEqual(
      await rows(`SELECT e.issue_id, v.num / 4096 AS chunk, bit_or(B'1'::bit(4096) >> (v.num % 4096))::text AS bits
                  FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id GROUP BY 1, 2`),
    );
    // Bits per issue count its distinct visitors, as issues.visitor_count.
    const { rows: mismatches } = await database.query(
      `SELECT i.id FROM issues i
       LEFT JOIN (SELECT issue_id, sum(bit_count(bits))::int AS n FROM issue_visitor_bits GROUP BY 1) b ON b.issue_id = i.id
       WHERE coalesce(b.n, 0) <> i.visitor_count`,
    );
    expect(mismatches).toEqual([]);
  });

  it("per visitor and day, per visitor and span of days, and the visitors' own counts", async () => {
    expect(await rows("SELECT website_id, bucket, visitor_id, kind, events FROM rollup_visitor_1d")).toEqual(
      await rows(`SELECT website_id, date_bin('1 day', occurred_at, 'epoch'::timestamptz) AS bucket, visitor_id, kind, count(*)::int AS events
                  FROM events GROUP BY 1, 2, 3, 4`),
    );
    for (const days of [1, 7]) {
      const actual = await rows(`SELECT website_id, bucket, visitor_num, js_errors, net_errors, error_clicks, rage_clicks, custom_events
                                 FROM rollup_visitor_days WHERE days = ${days}`);
      expect(actual.length).toBeGreaterThan(days === 1 ? 20 : 5);
      expect(actual).toEqual(
        await rows(`SELECT e.website_id, date_bin(make_interval(days => ${days}), e.occurred_at, 'epoch'::timestamptz) AS bucket, v.num AS visitor_num,
                      count(*) FILTER (WHERE kind = 'JSError')::int AS js_errors, count(*) FILTER (WHERE kind = 'NetError')::int AS net_errors,
                      count(*) FILTER (WHERE kind = 'ErrorClick')::int AS error_clicks, count(*) FILTER (WHERE kind = 'RageClick')::int AS rage_clicks,
                      count(*) FILTER (WHERE kind = 'Custom')::int AS custom_events
                    FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
                    WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom') GROUP BY 1, 2, 3`),
      );
    }
    expect(await rows("SELECT website_id, id, event_count, first_seen, last_seen FROM visitors")).toEqual(
      await rows(`SELECT website_id, visitor_id AS id, count(*)::int AS event_count, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
                  FROM events GROUP BY 1, 2`),
    );
  });
});
