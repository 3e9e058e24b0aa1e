// Integration: alert triage, the alert list and an alert's page data, through the real server
// and PostgreSQL. Alerts are seeded with SQL, as the evaluator would write them, for disabled
// rules (the evaluator's sweep leaves their alerts alone).
import pg from "pg";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTestServer, TEST_TOKEN } from "../testing/api-server";
import { call, signedInTeam, type SignedInUser } from "../testing/users";
import type { AlertFigures, AlertState } from "./types";

const server = apiTestServer();
const SITE = `site-${randomUUID().slice(0, 8)}`;
const OTHER = `other-${randomUUID().slice(0, 8)}`;
let pool: pg.Pool;
let owner: { cookie: string; id: string };
let member: SignedInUser;
let viewer: SignedInUser;
let rule: string;
let otherRule: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  ({ owner, member, viewer } = await signedInTeam(server.url));
  for (const id of [SITE, OTHER]) expect((await call(server.url, "/api/websites", { method: "POST", token: TEST_TOKEN, body: { id } })).status).toBe(201);
  const make = async (websiteId: string) => {
    const reply = await call(server.url, "/api/alert-rules", {
      method: "POST",
      token: TEST_TOKEN,
      body: { websiteId, name: `Errors on ${websiteId}`, condition: "event_count", threshold: 50, windowMinutes: 5, enabled: false },
    });
    expect(reply.status).toBe(201);
    return reply.json.rule.id as string;
  };
  rule = await make(SITE);
  otherRule = await make(OTHER);
});

afterAll(async () => {
  await pool?.end();
});

const figures = (value: number): AlertFigures => ({
  condition: "event_count",
  value,
  threshold: 50,
  windowMinutes: 5,
  baseline: null,
  factor: null,
  series: [{ at: new Date().toISOString(), count: value }],
  issues: [],
  evaluatedAt: new Date().toISOString(),
});

/** Inserts an alert as the evaluator would; returns its id. */
async function seed(options: { ruleId?: string; websiteId?: string; state?: AlertState; minutesAgo?: number; assigneeId?: string | null } = {}) {
  const state = options.state ?? "firing";
  const { rows } = await pool.query(
    `INSERT INTO alerts (rule_id, website_id, dedup_key, state, title, figures, fired_at, snoozed_until, resolved_at, resolved_by, assignee_id)
     VALUES ($1, $2, $3, $4, $5, $6, now() - make_interval(mins => $7::int),
       CASE WHEN $4 = 'snoozed' THEN now() + interval '1 hour' END, CASE WHEN $4 = 'resolved' THEN now() END, CASE WHEN $4 = 'resolved' THEN 'system' END, $8)
     RETURNING id::text`,
    [options.ruleId ?? rule, options.websiteId ?? SITE, randomUUID(), state, "57 errors in 5 minutes", figures(57), options.minutesAgo ?? 0, options.assigneeId ?? null],
  );
  return rows[0].id as string;
}

async function alertRow(id: string) {
  const { rows } = await pool.query("SELECT state, snoozed_until, resolved_at, resolved_by, assignee_id FROM alerts WHERE id = $1::bigint", [id]);
  return rows[0];
}

async function activity(id: string) {
  const { rows } = await pool.query("SELECT actor_id, actor_name, action, details FROM alert_activity WHERE alert_id = $1::bigint ORDER BY id", [id]);
  return rows as { actor_id: string | null; actor_name: string; action: string; details: Record<string, unknown> }[];
}

const patch = (id: string, body: unknown, cookie = member.cookie) => call(server.url, `/api/alerts/${id}`, { method: "PATCH", cookie, body });

describe("alert triage", () => {
  it("acknowledge, snooze, unsnooze, resolve: each logged with who and what", async () => {
    const id = await seed();
    const acked = await patch(id, { action: "acknowledge" });
    expect(acked.status).toBe(200);
    expect(acked.json.alert.state).toBe("acknowledged");
    // Again: nothing changes, nothing is logged.
    expect((await patch(id, { action: "acknowledge" })).status).toBe(200);

    const until = new Date(Date.now() + 8 * 3_600_000).toISOString();
    const snoozed = await patch(id, { action: "snooze", until });
    expect(snoozed.json.alert).toMatchObject({ state: "snoozed", snoozedUntil: until });
    expect((await alertRow(id)).snoozed_until.toISOString()).toBe(until);

    const unsnoozed = await patch(id, { action: "unsnooze" });
    expect(unsnoozed.json.alert).toMatchObject({ state: "firing", snoozedUntil: null });

    await patch(id, { action: "snooze", until });
    const resolved = await patch(id, { action: "resolve" });
    expect(resolved.json.alert).toMatchObject({ state: "resolved", snoozedUntil: null, resolvedBy: member.name });
    expect(await alertRow(id)).toMatchObject({ state: "resolved", snoozed_until: null, resolved_by: member.name });

    expect((await activity(id)).map((a) => [a.actor_id, a.actor_name, a.action, a.details.from])).toEqual([
      [member.id, member.name, "acknowledged", "firing"],
      [member.id, member.name, "snoozed", "acknowledged"],
      [member.id, member.name, "unsnoozed", "snoozed"],
      [member.id, member.name, "snoozed", "firing"],
      [member.id, member.name, "resolved", "snoozed"],
    ]);
    expect((await activity(id))[1]!.details.until).toBe(until);

    // A resolved alert takes no more state changes.
    const again = await patch(id, { action: "acknowledge" });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
  });

  it("assigns and unassigns, logging both; an unknown member is a 400", async () => {
    const id = await seed();
    expect((await patch(id, { assigneeId: member.id })).json.alert.assignee).toEqual({ id: member.id, name: member.name });
    expect((await patch(id, { assigneeId: null })).json.alert.assignee).toBeNull();
    expect((await activity(id)).map((a) => [a.action, a.details])).toEqual([
      ["assigned", { from: null, to: { id: member.id, name: member.name } }],
      ["assigned", { from: { id: member.id, name: member.name }, to: null }],
    ]);
    const unknown = await patch(id, { assigneeId: "nobody" });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toEqual([{ path: "assigneeId", message: "No such member" }]);
  });

  it("refuses bad input, viewers, and unknown alerts", async () => {
    const id = await seed();
    expect((await patch(id, { action: "snooze" })).status).toBe(400);
    expect((await patch(id, { action: "snooze", until: new Date(Date.now() - 60_000).toISOString() })).status).toBe(400);
    expect((await patch(id, { action: "snooze", until: new Date(Date.now() + 31 * 86_400_000).toISOString() })).status).toBe(400);
    expect((await patch(id, { action: "reopen" })).status).toBe(400);
    expect((await patch(id, {})).status).toBe(400);
    expect((await patch(id, { action: "resolve" }, viewer.cookie)).status).toBe(403);
    expect((await patch("999999999", { action: "resolve" })).status).toBe(404);
    expect((await patch("not-an-id", { action: "resolve" })).status).toBe(404);
    expect(await alertRow(id)).toMatchObject({ state: "firing", snoozed_until: null, resolved_at: null });
    expect(await activity(id)).toEqual([]);
  });

  it("bulk: one action on many, all or none, skipping those it does not fit", async () => {
    const ids = [await seed(), await seed({ state: "snoozed" }), await seed({ state: "resolved" })];
    const bulk = (body: unknown) => call(server.url, "/api/alerts/bulk", { method: "POST", cookie: member.cookie, body });
    expect((await bulk({ ids, action: "acknowledge" })).json).toEqual({ changed: 2 });
    expect((await Promise.all(ids.map(alertRow))).map((r) => [r.state, r.snoozed_until])).toEqual([
      ["acknowledged", null],
      ["acknowledged", null],
      ["resolved", null],
    ]);
    expect((await bulk({ ids, assigneeId: member.id })).json).toEqual({ changed: 3 });
    const missing = await bulk({ ids: [...ids, "999999999"], action: "resolve" });
    expect(missing.status).toBe(404);
    expect((await alertRow(ids[0]!)).state).toBe("acknowledged");
    expect((await bulk({ ids, action: "resolve" })).json).toEqual({ changed: 2 });
    expect((await Promise.all(ids.map(alertRow))).every((r) => r.state === "resolved" && r.resolved_at !== null)).toBe(true);
    expect((await bulk({ ids: [], action: "resolve" })).status).toBe(400);
  });
});

describe("the alert list and an alert's page", () => {
  it("filters by state, website, rule and assignee with exact counts, newest first, and pages", async () => {
    const site = `list-${randomUUID().slice(0, 8)}`;
    expect((await call(server.url, "/api/websites", { method: "POST", token: TEST_TOKEN, body: { id: site } })).status).toBe(201);
    const created = await call(server.url, "/api/alert-rules", {
      method: "POST",
      token: TEST_TOKEN,
      body: { websiteId: site, name: "Listed", condition: "event_count", threshold: 50, windowMinutes: 5, enabled: false },
    });
    const listRule = created.json.rule.id as string;
    const seeded = {
      firing: [await seed({ ruleId: listRule, websiteId: site, minutesAgo: 1 }), await seed({ ruleId: listRule, websiteId: site, minutesAgo: 2, assigneeId: member.id })],
      acknowledged: [await seed({ ruleId: listRule, websiteId: site, state: "acknowledged", minutesAgo: 3, assigneeId: owner.id })],
      snoozed: [await seed({ ruleId: listRule, websiteId: site, state: "snoozed", minutesAgo: 4 })],
      resolved: [await seed({ ruleId: listRule, websiteId: site, state: "resolved", minutesAgo: 5 })],
    };
    const list = async (query: string, cookie = viewer.cookie) => {
      const reply = await call(server.url, `/api/alerts?ruleId=${listRule}${query}`, { cookie });
      expect(reply.status).toBe(200);
      return reply.json as { alerts: { id: string; state: string }[]; nextCursor: string | null };
    };
    const ids = async (query: string, cookie?: string) => (await list(query, cookie)).alerts.map((a) => a.id);
    const open = [...seeded.firing, ...seeded.acknowledged, ...seeded.snoozed];
    expect(await ids("")).toEqual(open);
    expect(await ids("&state=firing")).toEqual(seeded.firing);
    expect(await ids("&state=acknowledged")).toEqual(seeded.acknowledged);
    expect(await ids("&state=snoozed")).toEqual(seeded.snoozed);
    expect(await ids("&state=resolved")).toEqual(seeded.resolved);
    expect(await ids("&state=all")).toEqual([...open, ...seeded.resolved]);
    expect(await ids("&assignee=none&state=all")).toEqual([seeded.firing[0], ...seeded.snoozed, ...seeded.resolved]);
    expect(await ids(`&assignee=${member.id}`)).toEqual([seeded.firing[1]]);
    expect(await ids("&assignee=me", member.cookie)).toEqual([seeded.firing[1]]);
    expect(await ids("&assignee=me", owner.cookie)).toEqual(seeded.acknowledged);
    expect(await ids(`&websiteId=${OTHER}`)).toEqual([]);
    const otherAlert = await seed({ ruleId: otherRule, websiteId: OTHER });
    const bySite = await call(server.url, `/api/alerts?websiteId=${OTHER}`, { cookie: viewer.cookie });
    expect(bySite.json.alerts.map((a: { id: string }) => a.id)).toEqual([otherAlert]);
    expect(bySite.json.alerts[0]).toMatchObject({ rule: { id: otherRule, name: `Errors on ${OTHER}` }, website: { id: OTHER }, figures: { value: 57 } });

    // Pages of 2: every alert once, in order.
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`&state=all&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.alerts.length).toBeLessThanOrEqual(2);
      pages.push(...page.alerts.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([...open, ...seeded.resolved]);

    expect((await call(server.url, "/api/alerts?state=bogus", { cookie: viewer.cookie })).status).toBe(400);
    expect((await call(server.url, "/api/alerts?cursor=nonsense", { cookie: viewer.cookie })).status).toBe(400);
    expect((await server.get("/api/alerts?assignee=me")).status).toBe(400);
    expect((await call(server.url, "/api/alerts")).status).toBe(401);
  });

  it("an alert with its rule, issues, activity and deliveries with their attempts", async () => {
    const id = await seed();
    await patch(id, { action: "acknowledge" });
    const channel = randomUUID();
    await pool.query("INSERT INTO notification_channels (id, name, type, target) VALUES ($1, 'Team Slack', 'slack', 'x')", [channel]);
    const { rows } = await pool.query(
      "INSERT INTO notification_deliveries (channel_id, alert_id, reason, payload, status, attempts) VALUES ($1, $2::bigint, 'fired', '{}', 'delivered', 2) RETURNING id",
      [channel, id],
    );
    await pool.query(
      `INSERT INTO notification_attempts (delivery_id, at, ok, status_code, error, duration_ms) VALUES
       ($1, now() - interval '1 minute', false, 500, 'Server error', 120), ($1, now(), true, 200, NULL, 80)`,
      [rows[0].id],
    );
    const reply = await call(server.url, `/api/alerts/${id}`, { cookie: viewer.cookie });
    expect(reply.status).toBe(200);
    const alert = reply.json.alert;
    expect(alert).toMatchObject({ id, state: "acknowledged", rule: { id: rule, condition: "event_count", threshold: 50 }, issues: [] });
    expect(alert.activity.map((a: { action: string; actor: { name: string } }) => [a.action, a.actor.name])).toEqual([["acknowledged", member.name]]);
    expect(alert.deliveries).toHaveLength(1);
    expect(alert.deliveries[0]).toMatchObject({ channel: { id: channel, name: "Team Slack", type: "slack" }, reason: "fired", status: "delivered" });
    expect(alert.deliveries[0].attempts.map((t: { ok: boolean; statusCode: number; error: string | null }) => [t.ok, t.statusCode, t.error])).toEqual([
      [false, 500, "Server error"],
      [true, 200, null],
    ]);
    expect((await call(server.url, "/api/alerts/123456789", { cookie: viewer.cookie })).status).toBe(404);
  });
});
