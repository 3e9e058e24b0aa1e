// Integration: rules evaluated on what the real server ingests, notified to real receivers.
// Channels and rules are made through the API; the simulator's bursts are posted as signed
// webhooks; local HTTP receivers stand in for a webhook endpoint and a Slack incoming webhook,
// and a local SMTP server for the mail server. The evaluator and the delivery worker run after
// each commit, so the test waits for their results, then asserts exactly what exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../livesession/signature";
import { createSimulation, type BurstSpec, type SimulatedDelivery, type Simulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { mimeHeader, mimePart, startHttpReceiver, startSmtpReceiver, waitUntil, type HttpReceiver, type SmtpReceiver } from "../testing/receivers";
import { startAppServer, type AppServer } from "../testing/server";
import { sleep } from "../testing/stream";
import { call, type RequestOptions } from "../testing/users";
import type { AlertFigures, NotificationPayload } from "./types";

const SECRET = "alerts-test-secret";
const TOKEN = "test-admin-token-0123456789abcdef";
const SMTP_FROM = "Error Monitor <alerts@example.test>";
const RECIPIENTS = ["ops@example.test", "oncall@example.test"];
const BURST = 20;
const AGAIN = 5;

let database: ScratchDatabase;
let server: AppServer;
let simulation: Simulation;
let burst: BurstSpec;
let webhook: HttpReceiver;
let slack: HttpReceiver;
let flaky: HttpReceiver;
let smtp: SmtpReceiver;
const channels = { webhook: "", slack: "", email: "", flaky: "" };
const rules = { newIssue: "", regression: "", count: "", visitors: "", spike: "", spikeHigh: "", spikeLearning: "", otherCountry: "", otherKind: "" };
/** Distinct visitors of the error's events posted so far. */
const visitors = new Set<string>();

const api = (path: string, options: RequestOptions = {}) => call(server.url, path, { token: TOKEN, ...options });

async function createChannel(body: object): Promise<{ id: string; secret: string | null }> {
  const reply = await api("/api/channels", { method: "POST", body });
  expect(reply.status, reply.text).toBe(201);
  return { id: reply.json.channel.id, secret: reply.json.secret };
}

async function createRule(body: object): Promise<string> {
  const reply = await api("/api/alert-rules", { method: "POST", body: { websiteId: burst.websiteId, ...body } });
  expect(reply.status, reply.text).toBe(201);
  return reply.json.rule.id;
}

beforeAll(async () => {
  [webhook, slack, flaky, smtp] = await Promise.all([startHttpReceiver(), startHttpReceiver(), startHttpReceiver("fail"), startSmtpReceiver()]);
  database = await createScratchDatabase();
  server = await startAppServer({
    DATABASE_URL: database.url,
    ADMIN_API_TOKEN: TOKEN,
    LIVESESSION_WEBHOOK_SECRET: SECRET,
    SMTP_URL: smtp.url,
    SMTP_FROM,
  });
  simulation = createSimulation({ seed: 5, visitors: 50, duplicateRate: 0 });
  // A fresh error of a "bad release": its first events create a new issue. (Without a hex part,
  // which an all-digit value would group apart: one issue.)
  do burst = simulation.createBurst();
  while (burst.source.list !== "regression" || burst.description.includes("<hex>"));
  expect((await api("/api/websites", { method: "POST", body: { id: burst.websiteId, name: "Shop" } })).status).toBe(201);

  const hook = await createChannel({ type: "webhook", name: "Ops hook", url: webhook.url });
  webhook.secret = hook.secret;
  channels.webhook = hook.id;
  channels.slack = (await createChannel({ type: "slack", name: "Ops Slack", url: `${slack.url}/services/T000/B000/slack-token` })).id;
  channels.email = (await createChannel({ type: "email", name: "Ops mail", recipients: RECIPIENTS })).id;
  const flakyHook = await createChannel({ type: "webhook", name: "Flaky hook", url: flaky.url });
  flaky.secret = flakyHook.secret;
  channels.flaky = flakyHook.id;

  const spike = { condition: "spike", windowMinutes: 1, spikeFactor: 3, baselineWindows: 5, channelIds: [channels.webhook] };
  rules.newIssue = await createRule({ name: "New errors", condition: "new_issue", channelIds: [channels.webhook, channels.email] });
  rules.regression = await createRule({ name: "Regressions", condition: "regression", channelIds: [channels.slack] });
  rules.count = await createRule({
    name: "Many JS errors",
    condition: "event_count",
    threshold: 10,
    windowMinutes: 60,
    scope: { kinds: ["JSError"] },
    channelIds: [channels.webhook, channels.slack],
  });
  rules.visitors = await createRule({ name: "Many visitors hit", condition: "visitor_count", threshold: 3, windowMinutes: 60, channelIds: [channels.email, channels.flaky] });
  rules.spike = await createRule({ name: "Error spike", threshold: 10, ...spike });
  rules.spikeHigh = await createRule({ name: "Huge spike", threshold: 1000, ...spike });
  rules.spikeLearning = await createRule({ name: "Spike, still learning", threshold: 10, ...spike });
  rules.otherCountry = await createRule({ name: "Errors in ZZ", condition: "event_count", threshold: 1, windowMinutes: 60, scope: { countries: ["ZZ"] }, channelIds: [channels.webhook] });
  rules.otherKind = await createRule({ name: "Rage clicks", condition: "event_count", threshold: 1, windowMinutes: 60, scope: { kinds: ["RageClick"] }, channelIds: [channels.webhook] });
  // A spike's baseline counts only windows that started after the rule began counting (its
  // creation; before, it counted nothing: zeros there would be made up), so a rule created just
  // now is learning and cannot fire. Backdated 10 minutes, its five one-minute baseline windows are complete, and
  // quiet: the burst is a spike over a baseline of 0. The third spike rule stays learning.
  await database.query("UPDATE alert_rules SET counting_since = now() - interval '10 minutes' WHERE id = ANY($1)", [[rules.spike, rules.spikeHigh]]);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  await Promise.all([webhook?.close(), slack?.close(), flaky?.close(), smtp?.close()]);
});

/** When a delivery's event happened (LiveSession's `time` is in milliseconds, sometimes deciseconds). */
function occurredMs(delivery: SimulatedDelivery): number {
  const time = JSON.parse(delivery.body).payload.time as number;
  return time > 1e11 ? time : time * 100;
}

/**
 * `n` deliveries of the burst whose events happened in the current minute: the simulator lags a
 * few events by minutes, which would put them in the spike rule's baseline windows.
 */
function burstDeliveries(n: number): SimulatedDelivery[] {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const chosen: SimulatedDelivery[] = [];
  while (chosen.length < n) {
    const d = simulation.next(new Date(), { burst });
    if (occurredMs(d) >= minute) chosen.push(d);
  }
  return chosen;
}

async function send(deliveries: SimulatedDelivery[]): Promise<string[]> {
  const replies = await Promise.all(
    deliveries.map((d) =>
      postWebhook(server.url, d.body, { "content-type": "application/json", "livesession-signature": signBody(d.body, SECRET) }),
    ),
  );
  for (const reply of replies) expect(reply.status, JSON.stringify(reply.json)).toBe(200);
  for (const d of deliveries) visitors.add(JSON.parse(d.body).payload.visitor.id);
  return deliveries.map((d) => d.messageId);
}

/** Polls until `ok` holds (the evaluator runs after the acknowledgement); returns the last value. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

type AlertRow = { id: string; rule_id: string; dedup_key: string; state: string; title: string; trigger_count: number; figures: AlertFigures };

async function alerts(): Promise<AlertRow[]> {
  const { rows } = await database.query("SELECT id::text, rule_id, dedup_key, state, title, trigger_count, figures FROM alerts ORDER BY id");
  return rows;
}

type OutboxRow = { id: string; rule_id: string; channel_id: string; reason: string; alert_id: string; status: string; payload: NotificationPayload };

async function outbox(): Promise<OutboxRow[]> {
  const { rows } = await database.query(
    `SELECT d.id::text, a.rule_id, d.channel_id, d.reason, d.alert_id::text, d.status, d.payload
     FROM notification_deliveries d JOIN alerts a ON a.id = d.alert_id ORDER BY d.id`,
  );
  return rows;
}

/** Waits until every queued notification but the flaky channel's was delivered; returns the outbox. */
async function delivered(count: number): Promise<OutboxRow[]> {
  const rows = await until(outbox, (list) => list.length === count && list.every((d) => d.status === "delivered" || d.channel_id === channels.flaky));
  expect(rows.filter((d) => d.channel_id !== channels.flaky).map((d) => d.status)).toEqual(Array(count - rows.filter((d) => d.channel_id === channels.flaky).length).fill("delivered"));
  return rows;
}

const byRule = (rows: AlertRow[], rule: string) => rows.filter((a) => a.rule_id === rule);
const one = (rows: AlertRow[], rule: string) => {
  const found = byRule(rows, rule);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const link = (alertId: string) => `${server.url}/alerts/${alertId}`;

/** What the webhook receiver got: [reason, alert id, title], each signed with the channel's secret. */
function webhookNotices(receiver: HttpReceiver): [string, string, string][] {
  for (const request of receiver.received) {
    expect(request.signatureValid).toBe(true);
    expect(request.json.url).toBe(link(request.json.alert.id));
  }
  return receiver.received.map((r) => [r.json.reason, r.json.alert.id, r.json.alert.title]);
}

/** What the Slack receiver got: the first line (emoji and title) and the link back to the alert. */
function slackNotices(): [string, string][] {
  for (const request of slack.received) expect(request.path).toBe("/hook/services/T000/B000/slack-token");
  return slack.received.map((r) => {
    const text = r.json.text as string;
    return [text.split("\n")[0]!, /<(http[^|>]+)\|Open the alert>/.exec(text)?.[1] ?? "no link"];
  });
}

/** What the SMTP server got: the subject, the envelope's recipients and the link in both parts. */
function mails(): { subject: string | null; to: string[]; link: string | null }[] {
  return smtp.messages.map((m) => {
    expect(m.from).toBe("alerts@example.test");
    expect(mimeHeader(m.raw, "From")).toBe(SMTP_FROM);
    const text = mimePart(m.raw, "text/plain") ?? "";
    const href = /href="([^"]+)"/.exec(mimePart(m.raw, "text/html") ?? "")?.[1] ?? null;
    const open = /^Open: (\S+)$/m.exec(text)?.[1] ?? null;
    expect(href).toBe(open);
    return { subject: mimeHeader(m.raw, "Subject"), to: m.to, link: open };
  });
}

const sorted = <T>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("alerts on ingested traffic, notified to real receivers", () => {
  let issueId: string;
  let issueTitle: string;
  const ids = { newIssue: "", count: "", visitors: "", spike: "", regression: "" };

  it("a burst of a new error fires exactly the new-issue, count, visitor and spike alerts, and notifies each channel once", async () => {
    // The burst must lie in one minute (the spike rule's window): start it early in a minute.
    const second = (Date.now() % 60_000) / 1000;
    if (second < 3 || second > 40) await sleep(((63 - second) % 60) * 1000);
    const messageIds = await send(burstDeliveries(BURST));
    const { rows } = await database.query("SELECT DISTINCT e.issue_id::text AS id, i.title FROM events e JOIN issues i ON i.id = e.issue_id WHERE e.message_id = ANY($1)", [messageIds]);
    expect(rows).toHaveLength(1);
    issueId = rows[0].id;
    issueTitle = rows[0].title;
    expect(issueTitle).not.toMatch(/[&<>]/);
    expect(visitors.size).toBeGreaterThan(3);

    const found = await until(
      alerts,
      (list) => list.length === 4 && byRule(list, rules.count)[0]?.figures.value === BURST && byRule(list, rules.spike)[0]?.figures.value === BURST && byRule(list, rules.visitors)[0]?.figures.value === visitors.size,
    );
    expect(sorted(found.map((a) => [a.rule_id, a.dedup_key, a.state]))).toEqual(
      sorted([
        [rules.newIssue, issueId, "firing"],
        [rules.count, "", "firing"],
        [rules.visitors, "", "firing"],
        [rules.spike, "", "firing"],
      ]),
    );
    const newIssue = one(found, rules.newIssue);
    const count = one(found, rules.count);
    const visitorAlert = one(found, rules.visitors);
    const spike = one(found, rules.spike);
    Object.assign(ids, { newIssue: newIssue.id, count: count.id, visitors: visitorAlert.id, spike: spike.id });
    // The spike's one-minute window ends soon, and the sweep would then resolve its alert (with a
    // "resolved" notification) at a moment of its choosing. Disabling the rule resolves it now,
    // in the admin's name and without a notification.
    expect((await api(`/api/alert-rules/${rules.spike}`, { method: "PATCH", body: { enabled: false } })).status).toBe(200);
    expect(one(await alerts(), rules.spike).state).toBe("resolved");

    expect(newIssue.title).toBe(`New issue: ${issueTitle}`);
    expect(newIssue.figures).toMatchObject({ condition: "new_issue", threshold: 0, windowMinutes: null, issues: [{ id: issueId, kind: "JSError" }] });
    expect(newIssue.figures.value).toBeGreaterThanOrEqual(1);
    expect(newIssue.figures.series).toHaveLength(24);

    expect(count.title).toBe("Many JS errors");
    expect(count.figures).toMatchObject({ condition: "event_count", value: BURST, threshold: 10, windowMinutes: 60, baseline: null, factor: null });
    expect(count.figures.series).toHaveLength(12);
    expect(count.figures.series.at(-1)!.count).toBe(BURST);
    expect(count.figures.issues).toEqual([{ id: issueId, title: issueTitle, kind: "JSError", events: BURST }]);

    expect(visitorAlert.figures).toMatchObject({ condition: "visitor_count", value: visitors.size, threshold: 3, windowMinutes: 60 });

    expect(spike.title).toBe("Error spike");
    expect(spike.figures).toMatchObject({ condition: "spike", value: BURST, threshold: 10, windowMinutes: 1, baseline: 0, factor: 3 });
    expect(spike.figures.series.map((w) => w.count)).toEqual([0, 0, 0, 0, 0, BURST]);

    // Each alert notified its rule's channels once, "fired" (the count crossed its threshold
    // part way through the burst; later batches updated it within its cooldown, silently).
    const sent = await delivered(7);
    expect(sorted(sent.map((d) => [d.rule_id, d.channel_id, d.reason]))).toEqual(
      sorted([
        [rules.newIssue, channels.webhook, "fired"],
        [rules.newIssue, channels.email, "fired"],
        [rules.count, channels.webhook, "fired"],
        [rules.count, channels.slack, "fired"],
        [rules.visitors, channels.email, "fired"],
        [rules.visitors, channels.flaky, "fired"],
        [rules.spike, channels.webhook, "fired"],
      ]),
    );
    for (const d of sent) {
      expect(d.payload.url).toBe(link(d.alert_id));
      expect(d.payload.alert).toMatchObject({ id: d.alert_id, websiteId: burst.websiteId, websiteName: "Shop", ruleId: d.rule_id, state: "firing" });
      expect(d.payload.summary).toContain("Shop");
    }
    expect(sent.find((d) => d.rule_id === rules.count)!.payload.alert!.figures.value).toBeGreaterThan(10);

    expect(sorted(webhookNotices(webhook))).toEqual(
      sorted([
        ["fired", newIssue.id, `New issue: ${issueTitle}`],
        ["fired", count.id, "Many JS errors"],
        ["fired", spike.id, "Error spike"],
      ]),
    );
    expect(slackNotices()).toEqual([[":rotating_light: *Many JS errors*", link(count.id)]]);
    await waitUntil(() => smtp.messages.length === 2, "two emails");
    expect(sorted(mails())).toEqual(
      sorted([
        { subject: `[Alert] New issue: ${issueTitle}`, to: RECIPIENTS, link: link(newIssue.id) },
        { subject: "[Alert] Many visitors hit", to: RECIPIENTS, link: link(visitorAlert.id) },
      ]),
    );
    expect(webhookNotices(flaky)).toEqual([["fired", visitorAlert.id, "Many visitors hit"]]);
    // From now on the flaky receiver answers: the retry will get through.
    flaky.mode = "ok";
  });

  it("a failed delivery is logged with its attempt and retried after about 30 s", async () => {
    const reply = await api(`/api/alerts/${ids.visitors}`);
    expect(reply.status).toBe(200);
    const deliveries = reply.json.alert.deliveries as any[];
    expect(sorted(deliveries.map((d) => [d.channel.id, d.reason, d.status]))).toEqual(
      sorted([
        [channels.email, "fired", "delivered"],
        [channels.flaky, "fired", "pending"],
      ]),
    );
    const failed = deliveries.find((d) => d.channel.id === channels.flaky);
    expect(failed.channel).toEqual({ id: channels.flaky, name: "Flaky hook", type: "webhook" });
    expect(failed.attempts).toEqual([{ at: expect.any(String), ok: false, statusCode: 500, error: "HTTP 500: receiver says no", durationMs: expect.any(Number) }]);
    const { rows } = await database.query(
      `SELECT extract(epoch FROM d.next_attempt_at - a.at)::float8 AS wait FROM notification_deliveries d JOIN notification_attempts a ON a.delivery_id = d.id WHERE d.id = $1`,
      [failed.id],
    );
    // 30 s ± 20 %.
    expect(rows[0].wait).toBeGreaterThanOrEqual(24 - 1);
    expect(rows[0].wait).toBeLessThanOrEqual(36 + 1);
    const channel = (await api(`/api/channels/${channels.flaky}`)).json.channel;
    expect(channel).toMatchObject({ consecutiveFailures: 1, lastError: "HTTP 500: receiver says no", failing: false });
  });

  it("the rules scoped to another country or kind counted nothing; a spike under its minimum or still learning does not fire", async () => {
    const { rows } = await database.query("SELECT rule_id, sum(events)::int AS n FROM alert_rule_counts GROUP BY 1");
    expect(Object.fromEntries(rows.map((r) => [r.rule_id, r.n]))).toEqual({
      [rules.count]: BURST,
      [rules.visitors]: BURST,
      [rules.spike]: BURST,
      [rules.spikeHigh]: BURST,
      [rules.spikeLearning]: BURST,
    });
    const found = await alerts();
    for (const rule of [rules.otherCountry, rules.otherKind, rules.spikeHigh, rules.spikeLearning, rules.regression]) expect(byRule(found, rule)).toEqual([]);
  });

  it("a second burst updates the same alerts, without a new alert or notification", async () => {
    const before = await outbox();
    await send(burstDeliveries(AGAIN));
    const found = await until(alerts, (list) => one(list, rules.count).figures.value === BURST + AGAIN && one(list, rules.visitors).figures.value === visitors.size);
    expect(sorted(found.map((a) => [a.id, a.state]))).toEqual(
      sorted([...[ids.newIssue, ids.count, ids.visitors].map((id) => [id, "firing"]), [ids.spike, "resolved"]]),
    );
    expect(one(found, rules.count).figures).toMatchObject({ value: BURST + AGAIN, threshold: 10 });
    expect(one(found, rules.count).trigger_count).toBeGreaterThan(1);
    expect(one(found, rules.visitors).figures.value).toBe(visitors.size);
    expect(one(found, rules.spike).figures.value).toBe(BURST);
    expect(await outbox()).toHaveLength(before.length);
    expect(webhook.received).toHaveLength(3);
    expect(slack.received).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
  });

  it("resolving the issue resolves its new-issue alert; the error coming back fires one regression alert", async () => {
    const resolved = await api(`/api/issues/${issueId}`, { method: "PATCH", body: { status: "resolved" } });
    expect(resolved.status).toBe(200);
    // The sweep (every 10 s) finds the issue resolved and resolves the alert, notifying its channels.
    const afterResolve = await until(alerts, (list) => one(list, rules.newIssue).state === "resolved");
    expect(one(afterResolve, rules.newIssue).state).toBe("resolved");
    await delivered(9);

    await send(burstDeliveries(1));
    const found = await until(alerts, (list) => byRule(list, rules.regression).length > 0 && one(list, rules.count).figures.value === BURST + AGAIN + 1);
    const regression = one(found, rules.regression);
    ids.regression = regression.id;
    expect(regression).toMatchObject({ dedup_key: issueId, state: "firing", title: `Regression: ${issueTitle}` });
    expect(regression.figures).toMatchObject({ condition: "regression", value: BURST + AGAIN + 1, issues: [{ id: issueId, events: BURST + AGAIN + 1 }] });
    expect(sorted(found.map((a) => [a.rule_id, a.dedup_key, a.state]))).toEqual(
      sorted([
        [rules.newIssue, issueId, "resolved"],
        [rules.count, "", "firing"],
        [rules.visitors, "", "firing"],
        [rules.spike, "", "resolved"],
        [rules.regression, issueId, "firing"],
      ]),
    );

    const sent = await delivered(10);
    // Queued in this order: the resolve (one row per channel, by channel id), then the regression.
    const queued = sent.slice(7).map((d) => [d.rule_id, d.channel_id, d.reason, d.alert_id]);
    expect(sorted(queued.slice(0, 2))).toEqual(
      sorted([
        [rules.newIssue, channels.webhook, "resolved", ids.newIssue],
        [rules.newIssue, channels.email, "resolved", ids.newIssue],
      ]),
    );
    expect(queued.slice(2)).toEqual([[rules.regression, channels.slack, "fired", regression.id]]);
    await waitUntil(() => smtp.messages.length === 3, "the resolved email");
    expect(webhookNotices(webhook).slice(3)).toEqual([["resolved", ids.newIssue, `New issue: ${issueTitle}`]]);
    expect(webhook.received[3]!.json.summary).toContain("is no longer open");
    expect(slackNotices().slice(1)).toEqual([[`:rotating_light: *Regression: ${issueTitle}*`, link(regression.id)]]);
    expect(mails().slice(2)).toEqual([{ subject: `[Alert] Resolved: New issue: ${issueTitle}`, to: RECIPIENTS, link: link(ids.newIssue) }]);
  });

  it("the failed delivery's retry gets through, with the same delivery id, and both attempts are logged", async () => {
    await waitUntil(() => flaky.received.length === 2, "the retried delivery", 40_000);
    const [first, retry] = flaky.received;
    expect(retry!.headers["lsm-delivery"]).toBe(first!.headers["lsm-delivery"]);
    expect(retry!.signatureValid).toBe(true);
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(23_000);
    expect(retry!.json).toEqual(first!.json);
    const deliveryId = String(first!.headers["lsm-delivery"]);
    const deliveries = await until(
      async () => (await api(`/api/alerts/${ids.visitors}`)).json.alert.deliveries as any[],
      (list) => list.find((d) => d.id === deliveryId)?.status === "delivered",
    );
    expect(deliveries.find((d) => d.id === deliveryId).attempts.map((a: any) => [a.ok, a.statusCode, a.error])).toEqual([
      [false, 500, "HTTP 500: receiver says no"],
      [true, 200, null],
    ]);
    expect((await api(`/api/channels/${channels.flaky}`)).json.channel).toMatchObject({ consecutiveFailures: 0, failing: false });
  }, 60_000);
});
