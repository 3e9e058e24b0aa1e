// Integration: retention and erasing a visitor against the real server and PostgreSQL. After
// each, every rollup, bit and counter still agrees with the events that remain.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook } from "../testing/deliveries";
import { expectRollupsMatchEvents } from "../testing/rollup-check";
import { startAppServer, type AppServer } from "../testing/server";
import { call, createApiToken } from "../testing/users";
import { RETENTION_LOCK_KEY } from "./retention";

const TOKEN = "lifecycle-admin-token-0123456789";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RETENTION_DAYS = 2;

let database: ScratchDatabase;
let server: AppServer;

const admin = { token: TOKEN };
const one = async <T = any>(sql: string, params: unknown[] = []): Promise<T> => (await database.query(sql, params)).rows[0] as T;

/** Posts deliveries 50 at a time; every one must be stored. */
async function post(bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 50) {
    const replies = await Promise.all(bodies.slice(i, i + 50).map((body) => postWebhook(server.url, body)));
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
  }
}

/** Whether any row of a visitor-bits table still has bit `num` set. */
async function bitSet(table: string, num: number): Promise<boolean> {
  const row = await one<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE chunk = $1 AND substring(bits FROM $2 FOR 1) = B'1'`,
    [Math.floor(num / 4096), (num % 4096) + 1],
  );
  return row.n > 0;
}

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, RETENTION_DAYS: String(RETENTION_DAYS) });
  // Four days of traffic up to now, with repeats: half of it is past the retention cutoff. None
  // in the hour either side of the cutoff, so that the test and the run agree on which side each is.
  const simulation = createSimulation({ seed: 7, visitors: 150, duplicateRate: 0.05 });
  const now = Date.now();
  const times = Array.from({ length: 700 }, (_, i) => now - 4 * DAY + i * ((4 * DAY) / 700));
  const cutoff = now - RETENTION_DAYS * DAY;
  await post(times.filter((t) => Math.abs(t - cutoff) > HOUR).map((t) => simulation.next(new Date(t)).body));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("retention", () => {
  it("removes events and rejected deliveries older than RETENTION_DAYS, with their counters, while ingest goes on", async () => {
    // A rejected delivery from before the cutoff and one from now.
    for (let i = 0; i < 2; i++) expect((await postWebhook(server.url, '{"message_id": 1}')).status).toBe(400);
    await database.query("UPDATE rejected_deliveries SET received_at = now() - interval '3 days' WHERE id = (SELECT min(id) FROM rejected_deliveries)");
    const kept = `now() - interval '${RETENTION_DAYS} days'`;
    const before = await one(`SELECT count(*)::int AS events, count(*) FILTER (WHERE occurred_at >= ${kept})::int AS recent FROM events`);
    // Issues and visitors with no event inside the period go.
    const oldIssues = `SELECT id::text FROM issues i WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.occurred_at >= ${kept})`;
    const oldVisitors = `SELECT website_id || '/' || id AS id FROM visitors WHERE last_seen < ${kept}`;
    const ids = async (sql: string) => new Set((await database.query<{ id: string }>(sql)).rows.map((r) => r.id));
    const [issuesBefore, visitorsBefore] = [await ids(oldIssues), await ids(oldVisitors)];
    expect(before.recent).toBeGreaterThan(100);
    expect(before.events - before.recent).toBeGreaterThan(100);
    expect(issuesBefore.size).toBeGreaterThan(0);
    expect(visitorsBefore.size).toBeGreaterThan(0);

    // New webhooks during the run (on another website, so they cannot bring back what it removes) are all stored.
    const during = post(
      Array.from({ length: 100 }, (_, i) =>
        delivery(i % 2 ? "js-error" : "net-error", (d) => {
          d.website_id = "during-retention";
          d.payload.visitor.id = `visitor-${i % 10}`;
          d.created_at = Math.floor(Date.now() / 1000);
          d.payload.time = Date.now();
        }).body,
      ),
    );
    const reply = await call(server.url, "/api/retention/run", { method: "POST", ...admin });
    await during;

    expect(reply.status).toBe(200);
    const { run } = reply.json;
    expect(run.error).toBeNull();
    expect(run.events).toBe(before.events - before.recent);
    expect(run.rejectedDeliveries).toBe(1);
    expect(run.issues).toBe(issuesBefore.size);
    expect(run.visitors).toBe(visitorsBefore.size);
    const stillThere = async (before: Set<string>, all: string) => [...(await ids(all))].filter((id) => before.has(id));
    expect(await stillThere(issuesBefore, "SELECT id::text FROM issues")).toEqual([]);
    expect(await stillThere(visitorsBefore, "SELECT website_id || '/' || id AS id FROM visitors")).toEqual([]);
    const after = await one("SELECT count(*)::int AS events, min(occurred_at) AS oldest FROM events");
    expect(after.events).toBe(before.recent + 100);
    expect(after.oldest.getTime()).toBeGreaterThanOrEqual(Date.parse(run.cutoff));
    expect((await one("SELECT count(*)::int AS n FROM rejected_deliveries")).n).toBe(1);
    await expectRollupsMatchEvents(database.query);

    const status = await call(server.url, "/api/retention", admin);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ retentionDays: RETENTION_DAYS, oldestEvent: after.oldest.toISOString(), lastRun: run });
  });

  it("runs one at a time per database", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [RETENTION_LOCK_KEY.toString()]);
      const reply = await call(server.url, "/api/retention/run", { method: "POST", ...admin });
      expect(reply.status).toBe(409);
      expect(reply.json.error.code).toBe("conflict");
    } finally {
      await holder.end();
    }
  });

  it("is for admins", async () => {
    const viewer = await createApiToken(server.url, admin, "viewer");
    expect((await call(server.url, "/api/retention/run", { method: "POST", token: viewer.token })).status).toBe(403);
    expect((await call(server.url, "/api/retention")).status).toBe(401);
  });
});

describe("erasing a visitor", () => {
  it("removes their events, visitor row, bits, rollups, issue counts and rejected deliveries", async () => {
    // The visitor with the most error events, and a rejected delivery that names them.
    const target = await one(
      `SELECT e.website_id, e.visitor_id, v.num, count(*)::int AS events, count(DISTINCT e.issue_id)::int AS issues
       FROM events e JOIN visitors v ON v.website_id = e.website_id AND v.id = e.visitor_id
       WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')
       GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1`,
    );
    expect(target.issues).toBeGreaterThan(1);
    const named = delivery("js-error", (d) => {
      d.payload.visitor.id = target.visitor_id;
      d.payload.time = "yesterday";
    });
    expect((await postWebhook(server.url, named.body)).status).toBe(400);
    const rejectedBefore = (await one("SELECT count(*)::int AS n FROM rejected_deliveries")).n;
    const issuesBefore = (
      await database.query("SELECT id, event_count, visitor_count FROM issues WHERE id IN (SELECT issue_id FROM events WHERE visitor_id = $1)", [
        target.visitor_id,
      ])
    ).rows;
    const all = (await one("SELECT count(*)::int AS n FROM events WHERE website_id = $1 AND visitor_id = $2", [target.website_id, target.visitor_id])).n;

    const reply = await call(server.url, "/api/visitors/erase", {
      method: "POST",
      ...admin,
      body: { websiteId: target.website_id, visitorId: target.visitor_id },
    });

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ visitors: 1, events: all, rejectedDeliveries: 1 });
    expect((await one("SELECT count(*)::int AS n FROM rejected_deliveries")).n).toBe(rejectedBefore - 1);
    expect((await one("SELECT count(*)::int AS n FROM events WHERE visitor_id = $1", [target.visitor_id])).n).toBe(0);
    expect((await one("SELECT count(*)::int AS n FROM visitors WHERE id = $1", [target.visitor_id])).n).toBe(0);
    expect((await one("SELECT count(*)::int AS n FROM rollup_visitor_1d WHERE visitor_id = $1", [target.visitor_id])).n).toBe(0);
    expect((await one("SELECT count(*)::int AS n FROM rollup_visitor_days WHERE visitor_num = $1", [target.num])).n).toBe(0);
    expect((await one("SELECT count(*)::int AS n FROM issue_visitors WHERE visitor_id = $1", [target.visitor_id])).n).toBe(0);
    for (const table of ["rollup_visitor_bits_1h", "rollup_visitor_kind_bits_1h", "issue_visitor_bits"]) {
      expect(await bitSet(table, target.num), table).toBe(false);
    }
    // Each of their issues counts one visitor and their events fewer (or is gone with its last event).
    for (const issue of issuesBefore) {
      const mine = (await one("SELECT count(*)::int AS n FROM events WHERE issue_id = $1", [issue.id])).n;
      const now = await one("SELECT event_count, visitor_count FROM issues WHERE id = $1", [issue.id]);
      if (mine === 0) expect(now).toBeUndefined();
      else expect(now).toEqual({ event_count: mine, visitor_count: issue.visitor_count - 1 });
    }
    await expectRollupsMatchEvents(database.query);
    const page = await call(server.url, `/api/visitors/${encodeURIComponent(target.visitor_id)}?websiteId=${target.website_id}`, admin);
    expect(page.status).toBe(404);
  });

  it("finds visitors by email, in any case, on every website", async () => {
    const email = "Erase.Me@Example.com";
    const visitorId = crypto.randomUUID();
    const bodies = ["8d53ea3", "other-site"].flatMap((websiteId) =>
      (["js-error", "rage-click", "custom"] as const).map(
        (kind) =>
          delivery(kind, (d) => {
            d.website_id = websiteId;
            d.payload.visitor.id = visitorId;
            d.payload.visitor.email = email;
            d.created_at = Math.floor(Date.now() / 1000);
            d.payload.time = Date.now();
          }).body,
      ),
    );
    await post(bodies);

    const reply = await call(server.url, "/api/visitors/erase", { method: "POST", ...admin, body: { email: email.toLowerCase() } });

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ visitors: 2, events: 6 });
    expect((await one("SELECT count(*)::int AS n FROM events WHERE visitor_id = $1", [visitorId])).n).toBe(0);
    await expectRollupsMatchEvents(database.query);
  });

  it("answers 400 for a request that names no one or two ways, and 403 to non-admins", async () => {
    const erase = (body: unknown, auth: { token: string } = admin) => call(server.url, "/api/visitors/erase", { method: "POST", ...auth, body });
    expect((await erase({})).status).toBe(400);
    expect((await erase({ visitorId: "a", email: "a@example.com" })).status).toBe(400);
    expect((await erase({ visitorId: "a", extra: 1 })).status).toBe(400);
    const member = await createApiToken(server.url, admin, "member");
    expect((await erase({ visitorId: "a" }, { token: member.token })).status).toBe(403);
    const nobody = await erase({ visitorId: "nobody" });
    expect(nobody.status).toBe(200);
    expect(nobody.json).toEqual({ visitors: 0, events: 0, issues: 0, rejectedDeliveries: 0 });
  });
});
