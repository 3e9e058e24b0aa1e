// Integration: the evaluator against a scratch PostgreSQL with an injected clock.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../generated/prisma/client";
import type { EventRecord } from "../ingest/store";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { addTally, emptyTally, tallyEvent } from "./counters";
import { AlertEngine } from "./engine";
import { evaluateRule } from "./evaluator";
import { sweepAlerts } from "./sweep";
import type { NotificationPayload } from "./types";

let database: ScratchDatabase;
let first: PrismaClient;
let second: PrismaClient;
const SITE = "site-eval";
const T = new Date("2026-12-01T10:00:00Z");
const at = (minutes: number, seconds = 30) => new Date(T.getTime() + minutes * 60_000 + seconds * 1000);
const client = (url: string) => new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 3 }) });

beforeAll(async () => {
  database = await createScratchDatabase();
  first = client(database.url);
  second = client(database.url);
  await database.query("INSERT INTO websites (id, name) VALUES ($1, 'Shop')", [SITE]);
  await database.query("INSERT INTO notification_channels (id, name, type, target) VALUES ('ch-a', 'A', 'webhook', 'x'), ('ch-b', 'B', 'slack', 'y')");
});

afterAll(async () => {
  await first?.$disconnect();
  await second?.$disconnect();
  await database?.drop();
});

async function addRule(fields: { condition?: string; threshold?: number; window?: number; cooldown?: number; channels?: string[]; scope?: object }) {
  const id = randomUUID();
  await database.query(
    `INSERT INTO alert_rules (id, website_id, name, condition, threshold, window_minutes, cooldown_minutes, scope, counting_since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '2026-01-01T00:00:00Z')`,
    [id, SITE, `rule ${id.slice(0, 4)}`, fields.condition ?? "event_count", fields.threshold ?? 3, fields.window ?? 5, fields.cooldown ?? 30, JSON.stringify(fields.scope ?? {})],
  );
  for (const channel of fields.channels ?? ["ch-a", "ch-b"]) await database.query("INSERT INTO alert_rule_channels (rule_id, channel_id) VALUES ($1, $2)", [id, channel]);
  return id;
}

async function count(ruleId: string, minute: Date, events: number) {
  const tally = emptyTally();
  for (let i = 0; i < events; i++) tallyEvent(tally, ruleId, minute, null);
  await addTally(tally, first);
}

const minute = (minutes: number) => at(minutes, 0);

async function alerts(ruleId: string) {
  const { rows } = await database.query(
    "SELECT id::text, state, resolved_by, trigger_count, figures, notified_at FROM alerts WHERE rule_id = $1 ORDER BY id",
    [ruleId],
  );
  return rows;
}

async function outbox(ruleId: string) {
  const { rows } = await database.query(
    `SELECT d.channel_id, d.reason, d.alert_id::text, d.payload FROM notification_deliveries d JOIN alerts a ON a.id = d.alert_id
     WHERE a.rule_id = $1 ORDER BY d.id`,
    [ruleId],
  );
  return rows as { channel_id: string; reason: string; alert_id: string; payload: NotificationPayload }[];
}

describe("a window rule's life", () => {
  it("fires, updates, resolves when the window passes, reopens within the cooldown, fires anew after it", async () => {
    const rule = await addRule({});

    await count(rule, minute(0), 2);
    expect(await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(0), first)).toBeNull();

    await count(rule, minute(0), 3);
    const fired = await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(0), first);
    expect(fired).toMatchObject({ websiteId: SITE, state: "firing" });
    let rows = await alerts(rule);
    expect(rows).toHaveLength(1);
    expect(rows[0].figures).toMatchObject({ condition: "event_count", value: 5, threshold: 3, windowMinutes: 5, baseline: null, evaluatedAt: at(0).toISOString() });
    expect(rows[0].figures.series).toHaveLength(12);
    expect(rows[0].figures.series.at(-1)).toEqual({ at: minute(-4).toISOString(), count: 5 });
    let sent = await outbox(rule);
    expect(sent.map((d) => [d.channel_id, d.reason])).toEqual([["ch-a", "fired"], ["ch-b", "fired"]]);
    expect(sent[0]!.payload).toMatchObject({
      reason: "fired",
      url: expect.stringMatching(new RegExp(`/alerts/${fired!.alertId}$`)),
      alert: { id: fired!.alertId, ruleId: rule, websiteName: "Shop", state: "firing", figures: { value: 5 } },
    });
    expect(sent[0]!.payload.summary).toContain("5 events in the last 5 minutes");

    // Within the cooldown: updated, no notification.
    await count(rule, minute(1), 4);
    await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(1), first);
    rows = await alerts(rule);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "firing", trigger_count: 2, figures: { value: 9 } });
    expect(await outbox(rule)).toHaveLength(2);

    // After the cooldown, grown past the last notification: "updated".
    await count(rule, minute(40), 12);
    await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(40), first);
    sent = await outbox(rule);
    expect(sent.slice(2).map((d) => [d.channel_id, d.reason])).toEqual([["ch-a", "updated"], ["ch-b", "updated"]]);
    expect(sent[2]!.payload.alert!.figures.value).toBe(12);

    // The window passes with no traffic: the sweep resolves it, with a notification.
    await sweepAlerts(at(50), first);
    rows = await alerts(rule);
    expect(rows[0]).toMatchObject({ state: "resolved", resolved_by: "system", figures: { value: 0 } });
    sent = await outbox(rule);
    expect(sent.slice(4).map((d) => d.reason)).toEqual(["resolved", "resolved"]);

    // Again within the cooldown: the same alert reopens, silently.
    await count(rule, minute(55), 4);
    await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(55), first);
    rows = await alerts(rule);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "firing", resolved_by: null, figures: { value: 4 } });
    expect(await outbox(rule)).toHaveLength(6);

    // Resolved again: no second "resolved" notification after the first.
    await sweepAlerts(at(65), first);
    expect((await alerts(rule))[0].state).toBe("resolved");
    expect(await outbox(rule)).toHaveLength(6);

    // After the cooldown: a new alert, notified.
    await count(rule, minute(100), 7);
    const again = await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(100), first);
    rows = await alerts(rule);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ id: again!.alertId, state: "firing", figures: { value: 7 } });
    expect((await outbox(rule)).slice(6).map((d) => [d.alert_id, d.reason])).toEqual([[again!.alertId, "fired"], [again!.alertId, "fired"]]);

    const { rows: activity } = await database.query(
      "SELECT action, actor_name FROM alert_activity WHERE alert_id = $1::bigint",
      [fired!.alertId],
    );
    expect(activity.map((r) => r.action).sort()).toEqual(["fired", "reopened", "resolved", "resolved", "updated"]);
    expect(new Set(activity.map((r) => r.actor_name))).toEqual(new Set(["system"]));
  });

  it("a member's resolve holds within the cooldown", async () => {
    const rule = await addRule({ channels: ["ch-a"] });
    await count(rule, minute(200), 5);
    const fired = await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(200), first);
    await database.query("UPDATE alerts SET state = 'resolved', resolved_at = $2, resolved_by = 'Ada' WHERE id = $1::bigint", [fired!.alertId, at(201)]);
    await count(rule, minute(202), 5);
    expect(await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(202), first)).toBeNull();
    expect(await alerts(rule)).toHaveLength(1);
  });

  it("a snoozed alert fires again when its snooze ends and the condition holds", async () => {
    const rule = await addRule({ channels: ["ch-b"] });
    await count(rule, minute(300), 5);
    const fired = await evaluateRule({ ruleId: rule, issueId: null, triggered: true }, at(300), first);
    await database.query("UPDATE alerts SET state = 'snoozed', snoozed_until = $2 WHERE id = $1::bigint", [fired!.alertId, at(302)]);
    await count(rule, minute(301), 1);
    await sweepAlerts(at(301), first);
    expect((await alerts(rule))[0].state).toBe("snoozed");
    await sweepAlerts(at(303), first);
    expect((await alerts(rule))[0].state).toBe("firing");
    expect((await outbox(rule)).map((d) => d.reason)).toEqual(["fired", "fired"]);
  });
});

describe("several evaluators", () => {
  it("two evaluators (two pools) racing on one rule make exactly one alert and one notification per channel", async () => {
    const rule = await addRule({});
    await count(rule, minute(400), 10);
    const target = { ruleId: rule, issueId: null, triggered: true };
    const results = await Promise.all([
      evaluateRule(target, at(400), first),
      evaluateRule(target, at(400), second),
      evaluateRule(target, at(400), first),
      evaluateRule(target, at(400), second),
    ]);
    expect(results.filter((r) => r !== null).length).toBeGreaterThanOrEqual(1);
    const rows = await alerts(rule);
    expect(rows).toHaveLength(1);
    expect(rows[0].trigger_count).toBe(4);
    expect((await outbox(rule)).map((d) => [d.channel_id, d.reason])).toEqual([["ch-a", "fired"], ["ch-b", "fired"]]);
  });
});

describe("the loop", () => {
  const record = (i: number, occurredAt: Date, over: Partial<EventRecord> = {}): EventRecord =>
    ({
      messageId: `m-${i}`,
      websiteId: SITE,
      occurredAt,
      issueId: "1",
      fields: { kind: i % 2 === 0 ? "JSError" : "NetError", url: "https://api.shop.example/cart" },
      visitor: { id: `v-${i % 40}`, countryCode: i % 3 === 0 ? "DE" : "PL" },
      ...over,
    }) as unknown as EventRecord;

  it("counts a batch of 500 per scope, ignores events outside the span, and evaluates the rules it touched", async () => {
    const now = at(500);
    const all = await addRule({ threshold: 100, channels: [] });
    const german = await addRule({ condition: "visitor_count", threshold: 5, scope: { countries: ["DE"], kinds: ["JSError"] }, channels: [] });
    const engine = new AlertEngine({ client: first, now: () => now });
    const records = Array.from({ length: 500 }, (_, i) => record(i, now));
    records.push(record(900, new Date(now.getTime() - 61 * 60_000)), record(901, new Date(now.getTime() + 6 * 60_000)), record(902, now));
    await engine.process([{ records, stored: records.map((_, i) => i !== 502) }]);
    const { rows } = await database.query("SELECT rule_id, sum(events)::int AS n FROM alert_rule_counts WHERE rule_id = ANY($1) GROUP BY 1", [[all, german]]);
    expect(Object.fromEntries(rows.map((r) => [r.rule_id, r.n]))).toEqual({ [all]: 500, [german]: 84 });
    const { rows: visitors } = await database.query("SELECT count(*)::int AS n FROM alert_rule_visitors WHERE rule_id = $1", [german]);
    expect(visitors[0].n).toBe(20);
    expect((await alerts(all))[0].figures).toMatchObject({ value: 500, threshold: 100 });
    expect((await alerts(german))[0].figures).toMatchObject({ condition: "visitor_count", value: 20, threshold: 5 });
  });
});
