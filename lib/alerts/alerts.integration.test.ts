// Integration: rules evaluated on what the real server ingests. Simulated bursts are posted as
// signed webhooks; the evaluator runs after each commit, so the test waits for its results.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../livesession/signature";
import { createSimulation, type BurstSpec, type Simulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import { call } from "../testing/users";
import type { AlertFigures, NotificationPayload } from "./types";

const SECRET = "alerts-test-secret";
const TOKEN = "test-admin-token-0123456789abcdef";
const BURST = 20;

let database: ScratchDatabase;
let server: AppServer;
let simulation: Simulation;
let burst: BurstSpec;
const rules = { newIssue: "", count: "", otherCountry: "", otherKind: "", regression: "" };

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, LIVESESSION_WEBHOOK_SECRET: SECRET });
  simulation = createSimulation({ seed: 5, visitors: 50, duplicateRate: 0 });
  // A fresh error of a "bad release": its first events create a new issue. (Without a hex part,
  // which an all-digit value would group apart: one issue.)
  do burst = simulation.createBurst();
  while (burst.source.list !== "regression" || burst.description.includes("<hex>"));

  await database.query("INSERT INTO websites (id, name) VALUES ($1, 'Shop')", [burst.websiteId]);
  await database.query("INSERT INTO notification_channels (id, name, type, target) VALUES ('ch-a', 'A', 'webhook', 'x'), ('ch-b', 'B', 'slack', 'y')");
  const addRule = async (condition: string, scope: object, channels: string[], threshold: number | null = null) => {
    const id = randomUUID();
    await database.query(
      `INSERT INTO alert_rules (id, website_id, name, condition, threshold, window_minutes, scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, burst.websiteId, `${condition} rule`, condition, threshold, threshold === null ? null : 5, JSON.stringify(scope)],
    );
    for (const channel of channels) await database.query("INSERT INTO alert_rule_channels (rule_id, channel_id) VALUES ($1, $2)", [id, channel]);
    return id;
  };
  rules.newIssue = await addRule("new_issue", {}, ["ch-a"]);
  rules.count = await addRule("event_count", { kinds: ["JSError"] }, ["ch-a", "ch-b"], 10);
  rules.otherCountry = await addRule("event_count", { countries: ["ZZ"] }, ["ch-a"], 1);
  rules.otherKind = await addRule("event_count", { kinds: ["RageClick"] }, ["ch-a"], 1);
  rules.regression = await addRule("regression", {}, ["ch-b"]);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function send(n: number): Promise<string[]> {
  const deliveries = Array.from({ length: n }, () => simulation.next(new Date(), { burst }));
  const replies = await Promise.all(
    deliveries.map((d) =>
      postWebhook(server.url, d.body, { "content-type": "application/json", "livesession-signature": signBody(d.body, SECRET) }),
    ),
  );
  for (const reply of replies) expect(reply.status, JSON.stringify(reply.json)).toBe(200);
  return deliveries.map((d) => d.messageId);
}

/** Polls until `ok` holds (the evaluator runs after the acknowledgement); returns the last value. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type AlertRow = { id: string; rule_id: string; dedup_key: string; state: string; title: string; figures: AlertFigures };

async function alerts(): Promise<AlertRow[]> {
  const { rows } = await database.query("SELECT id::text, rule_id, dedup_key, state, title, figures FROM alerts ORDER BY id");
  return rows;
}

async function outbox(): Promise<{ rule_id: string; channel_id: string; reason: string; alert_id: string; payload: NotificationPayload }[]> {
  const { rows } = await database.query(
    `SELECT a.rule_id, d.channel_id, d.reason, d.alert_id::text, d.payload
     FROM notification_deliveries d JOIN alerts a ON a.id = d.alert_id ORDER BY a.rule_id, d.channel_id, d.id`,
  );
  return rows;
}

const byRule = (rows: AlertRow[], rule: string) => rows.filter((a) => a.rule_id === rule);

describe("alerts on ingested traffic", () => {
  let issueId: string;

  it("a burst of a new error fires exactly a new-issue alert and an event-count alert", async () => {
    const ids = await send(BURST);
    const { rows } = await database.query("SELECT DISTINCT issue_id::text AS id FROM events WHERE message_id = ANY($1)", [ids]);
    expect(rows).toHaveLength(1);
    issueId = rows[0].id;

    const found = await until(alerts, (list) => list.length === 2 && byRule(list, rules.count)[0]?.figures.value === BURST);
    expect(found.map((a) => [a.rule_id, a.dedup_key, a.state]).sort()).toEqual(
      [
        [rules.newIssue, issueId, "firing"],
        [rules.count, "", "firing"],
      ].sort(),
    );

    const newIssue = byRule(found, rules.newIssue)[0]!;
    expect(newIssue.title).toMatch(/^New issue: /);
    expect(newIssue.figures).toMatchObject({ condition: "new_issue", windowMinutes: null, issues: [{ id: issueId, kind: "JSError" }] });
    expect(newIssue.figures.value).toBeGreaterThanOrEqual(1);
    expect(newIssue.figures.series).toHaveLength(24);

    const count = byRule(found, rules.count)[0]!;
    expect(count.figures).toMatchObject({ condition: "event_count", value: BURST, threshold: 10, windowMinutes: 5, baseline: null });
    expect(count.figures.series).toHaveLength(12);
    expect(count.figures.series.reduce((sum, w) => sum + w.count, 0)).toBe(BURST);
    expect(count.figures.issues).toEqual([{ id: issueId, title: expect.any(String), kind: "JSError", events: BURST }]);

    const sent = await outbox();
    expect(sent.map((d) => [d.rule_id, d.channel_id, d.reason])).toEqual(
      [
        [rules.newIssue, "ch-a", "fired"],
        [rules.count, "ch-a", "fired"],
        [rules.count, "ch-b", "fired"],
      ].sort(),
    );
    for (const d of sent) {
      expect(d.payload.url).toBe(`${server.url}/alerts/${d.alert_id}`);
      expect(d.payload.alert).toMatchObject({ id: d.alert_id, websiteId: burst.websiteId, websiteName: "Shop", ruleId: d.rule_id });
      expect(d.payload.summary).toContain("Shop");
    }
  });

  it("the rules scoped to another country or kind counted nothing", async () => {
    const { rows } = await database.query("SELECT rule_id, sum(events)::int AS n FROM alert_rule_counts GROUP BY 1");
    expect(Object.fromEntries(rows.map((r) => [r.rule_id, r.n]))).toEqual({ [rules.count]: BURST });
    expect(byRule(await alerts(), rules.otherCountry)).toEqual([]);
    expect(byRule(await alerts(), rules.otherKind)).toEqual([]);
  });

  it("the error coming back after its issue was resolved fires one regression alert", async () => {
    const resolved = await call(server.url, `/api/issues/${issueId}`, { method: "PATCH", token: TOKEN, body: { status: "resolved" } });
    expect(resolved.status).toBe(200);
    await send(1);

    const found = await until(alerts, (list) => byRule(list, rules.regression).length > 0 && byRule(list, rules.count)[0]?.figures.value === BURST + 1);
    const regression = byRule(found, rules.regression);
    expect(regression).toHaveLength(1);
    expect(regression[0]).toMatchObject({ dedup_key: issueId, state: "firing", title: expect.stringMatching(/^Regression: /) });
    expect(regression[0]!.figures).toMatchObject({ condition: "regression", value: BURST + 1, issues: [{ id: issueId, events: BURST + 1 }] });
    expect(found.filter((a) => a.rule_id !== rules.newIssue).map((a) => [a.rule_id, a.dedup_key]).sort()).toEqual(
      [
        [rules.count, ""],
        [rules.regression, issueId],
      ].sort(),
    );
    // Still within the count rule's cooldown: updated, not notified again.
    const sent = await outbox();
    expect(sent.filter((d) => d.rule_id === rules.regression).map((d) => [d.channel_id, d.reason, d.alert_id])).toEqual([["ch-b", "fired", regression[0]!.id]]);
    expect(sent.filter((d) => d.rule_id === rules.count).map((d) => d.reason)).toEqual(["fired", "fired"]);
    expect(byRule(found, rules.newIssue)).toHaveLength(1);
  });
});
