// Integration: the alert rules API through the real server and PostgreSQL.
import pg from "pg";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTestServer, TEST_TOKEN } from "../testing/api-server";
import { call, signedInTeam, type SignedInUser } from "../testing/users";

const server = apiTestServer();
const SITE = `site-${randomUUID().slice(0, 8)}`;
const OTHER = `other-${randomUUID().slice(0, 8)}`;
let pool: pg.Pool;
let owner: { cookie: string; id: string };
let member: SignedInUser;
let viewer: SignedInUser;
let channel: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  ({ owner, member, viewer } = await signedInTeam(server.url));
  for (const id of [SITE, OTHER]) expect((await call(server.url, "/api/websites", { method: "POST", token: TEST_TOKEN, body: { id } })).status).toBe(201);
  channel = randomUUID();
  await pool.query("INSERT INTO notification_channels (id, name, type, target) VALUES ($1, 'Ops', 'webhook', 'x')", [channel]);
});

afterAll(async () => {
  await pool?.end();
});

const spike = { websiteId: SITE, name: "Checkout spike", condition: "spike", threshold: 20, windowMinutes: 5, spikeFactor: 3, baselineWindows: 12 };

const post = (body: unknown, cookie = owner.cookie) => call(server.url, "/api/alert-rules", { method: "POST", cookie, body });
const patch = (id: string, body: unknown, cookie = owner.cookie) => call(server.url, `/api/alert-rules/${id}`, { method: "PATCH", cookie, body });

describe("alert rules", () => {
  it("creates, reads, lists per website, changes, disables and deletes a rule", async () => {
    const created = await post({ ...spike, scope: { kinds: ["JSError"], urlPattern: "*/checkout*" }, channelIds: [channel] });
    expect(created.status).toBe(201);
    const rule = created.json.rule;
    expect(rule).toMatchObject({ ...spike, scope: { kinds: ["JSError"], urlPattern: "*/checkout*" }, channelIds: [channel], cooldownMinutes: 30, enabled: true });
    expect(rule.createdBy).toEqual({ id: owner.id, name: "Owner" });
    const other = await post({ websiteId: OTHER, name: "New issues", condition: "new_issue" });
    expect(other.status).toBe(201);

    const read = await call(server.url, `/api/alert-rules/${rule.id}`, { cookie: viewer.cookie });
    expect(read.status).toBe(200);
    expect(read.json.rule).toEqual(rule);
    const listed = await call(server.url, `/api/alert-rules?websiteId=${SITE}`, { cookie: viewer.cookie });
    expect(listed.json.rules.map((r: { id: string }) => r.id)).toEqual([rule.id]);
    const all = await call(server.url, "/api/alert-rules", { cookie: viewer.cookie });
    expect(all.json.rules.map((r: { id: string }) => r.id).sort()).toEqual([rule.id, other.json.rule.id].sort());

    const disabled = await patch(rule.id, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json.rule).toMatchObject({ ...spike, enabled: false, channelIds: [channel] });

    // To another condition: fields only the old one needs are dropped; channels replaced.
    const changed = await patch(rule.id, { condition: "event_count", threshold: 50, channelIds: [] });
    expect(changed.json.rule).toMatchObject({ condition: "event_count", threshold: 50, windowMinutes: 5, spikeFactor: null, baselineWindows: null, channelIds: [] });
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM alert_rule_channels WHERE rule_id = $1", [rule.id]);
    expect(rows[0].n).toBe(0);

    expect((await call(server.url, `/api/alert-rules/${rule.id}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(204);
    expect((await call(server.url, `/api/alert-rules/${rule.id}`, { cookie: viewer.cookie })).status).toBe(404);
    expect((await call(server.url, `/api/alert-rules/${rule.id}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(404);
  });

  it("disabling a rule, or changing its condition, resolves its open alerts as the admin; re-enabling reopens none", async () => {
    const openAlert = async (ruleId: string, state: string) => {
      const { rows } = await pool.query(
        `INSERT INTO alerts (rule_id, website_id, dedup_key, state, title, figures, snoozed_until)
         VALUES ($1, $2, '', $3, 'Open', '{}', CASE WHEN $3 = 'snoozed' THEN now() + interval '1 hour' END) RETURNING id::text AS id`,
        [ruleId, SITE, state],
      );
      return rows[0].id as string;
    };
    const alertRow = async (id: string) =>
      (await pool.query("SELECT state, resolved_by, snoozed_until FROM alerts WHERE id = $1::bigint", [id])).rows[0];
    const resolvedFor = async (id: string) =>
      (await pool.query("SELECT actor_name, details FROM alert_activity WHERE alert_id = $1::bigint AND action = 'resolved'", [id])).rows;

    const { json } = await post({ ...spike, name: "Retired" });
    const snoozed = await openAlert(json.rule.id, "snoozed");
    expect((await patch(json.rule.id, { name: "Renamed" })).status).toBe(200);
    expect((await alertRow(snoozed)).state).toBe("snoozed");

    expect((await patch(json.rule.id, { enabled: false })).status).toBe(200);
    expect(await alertRow(snoozed)).toEqual({ state: "resolved", resolved_by: "Owner", snoozed_until: null });
    expect(await resolvedFor(snoozed)).toEqual([{ actor_name: "Owner", details: { from: "snoozed", reason: "the rule was disabled" } }]);
    expect((await patch(json.rule.id, { enabled: true })).status).toBe(200);
    expect((await alertRow(snoozed)).state).toBe("resolved");

    const firing = await openAlert(json.rule.id, "firing");
    expect((await patch(json.rule.id, { condition: "new_issue" })).status).toBe(200);
    expect((await alertRow(firing)).state).toBe("resolved");
    expect(await resolvedFor(firing)).toEqual([{ actor_name: "Owner", details: { from: "firing", reason: "the rule was changed" } }]);
  });

  it("starts a rule's counts over when it is enabled again or counts other events, not on a rename or a new threshold", async () => {
    const { json } = await post({ ...spike, name: "Counting", scope: { kinds: ["JSError"], countries: ["PL"] } });
    const id = json.rule.id as string;
    const seed = async () => {
      await pool.query("INSERT INTO alert_rule_counts (rule_id, minute, events) VALUES ($1, date_trunc('minute', now()), 7) ON CONFLICT DO NOTHING", [id]);
      await pool.query("INSERT INTO alert_rule_visitors (rule_id, visitor_id, last_at) VALUES ($1, 'v1', now()) ON CONFLICT DO NOTHING", [id]);
      // Backdated, so that a restart shows as a later time.
      await pool.query("UPDATE alert_rules SET counting_since = now() - interval '1 day' WHERE id = $1", [id]);
    };
    const state = async () => {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*)::int FROM alert_rule_counts WHERE rule_id = $1) + (SELECT count(*)::int FROM alert_rule_visitors WHERE rule_id = $1) AS counts,
           counting_since > now() - interval '1 hour' AS restarted FROM alert_rules WHERE id = $1`,
        [id],
      );
      return rows[0] as { counts: number; restarted: boolean };
    };
    const kept = { counts: 2, restarted: false };
    const restarted = { counts: 0, restarted: true };

    for (const change of [{ name: "Renamed" }, { threshold: 50, spikeFactor: 5 }, { cooldownMinutes: 5 }, { scope: { countries: ["PL"], kinds: ["JSError"] } }]) {
      await seed();
      expect((await patch(id, change)).status).toBe(200);
      expect(await state(), JSON.stringify(change)).toEqual(kept);
    }
    await seed();
    expect((await patch(id, { enabled: false })).status).toBe(200);
    expect(await state()).toEqual(kept);
    expect((await patch(id, { enabled: true })).status).toBe(200);
    expect(await state()).toEqual(restarted);
    for (const change of [{ scope: { kinds: ["JSError"] } }, { windowMinutes: 10 }, { baselineWindows: 6 }, { condition: "event_count" }]) {
      await seed();
      expect((await patch(id, change)).status).toBe(200);
      expect(await state(), JSON.stringify(change)).toEqual(restarted);
    }
  });

  it("refuses invalid rules with the fields' paths", async () => {
    const missing = await post({ websiteId: SITE, name: "Spike", condition: "spike", windowMinutes: 5 });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["baselineWindows", "spikeFactor", "threshold"]);

    const bad = await post({ websiteId: SITE, name: " ", condition: "event_count", threshold: 0, windowMinutes: 5, scope: { countries: ["pl"], bogus: 1 } });
    expect(bad.status).toBe(400);
    const paths = bad.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "threshold", "scope.countries.0", "scope"]));

    expect((await post({ ...spike, condition: "sometimes" })).json.error.details[0].path).toBe("condition");
    expect((await post({ ...spike, extra: true })).status).toBe(400);

    const { json } = await post({ websiteId: SITE, name: "Count", condition: "event_count", threshold: 10, windowMinutes: 5 });
    const cleared = await patch(json.rule.id, { threshold: null });
    expect(cleared.status).toBe(400);
    expect(cleared.json.error.details).toEqual([{ path: "threshold", message: "A threshold is required for this condition" }]);
  });

  it("404 for an unknown website or rule, 400 for an unknown channel", async () => {
    const site = await post({ ...spike, websiteId: "no-such-site" });
    expect(site.status).toBe(404);
    expect(site.json.error.code).toBe("not_found");
    const ch = await post({ ...spike, channelIds: [channel, "no-such-channel"] });
    expect(ch.status).toBe(400);
    expect(ch.json.error.details).toEqual([{ path: "channelIds", message: "No such channel" }]);
    expect((await patch("no-such-rule", { enabled: false })).status).toBe(404);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM alert_rules WHERE name = $1", [spike.name]);
    expect(rows[0].n).toBe(0);
  });

  it("admins write; members and viewers read only", async () => {
    const { json } = await post({ websiteId: SITE, name: "Regressions", condition: "regression" });
    for (const who of [member, viewer]) {
      expect((await post({ websiteId: SITE, name: "Mine", condition: "new_issue" }, who.cookie)).status).toBe(403);
      expect((await patch(json.rule.id, { enabled: false }, who.cookie)).status).toBe(403);
      expect((await call(server.url, `/api/alert-rules/${json.rule.id}`, { method: "DELETE", cookie: who.cookie })).status).toBe(403);
      expect((await call(server.url, `/api/alert-rules/${json.rule.id}`, { cookie: who.cookie })).status).toBe(200);
    }
    expect((await call(server.url, "/api/alert-rules")).status).toBe(401);
    expect((await call(server.url, `/api/alert-rules/${json.rule.id}`, { cookie: owner.cookie })).json.rule.enabled).toBe(true);
  });
});
