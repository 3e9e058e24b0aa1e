// Integration: notification channels that hang or refuse connections never slow ingest down,
// nor a healthy channel's notifications. The same steady stream of signed webhooks, with a fresh
// error every FRESH_EVERY deliveries (a new issue: its rules fire), runs twice against the
// production server: first with a new-issue rule whose channel answers, then with another rule
// added whose channels never answer (webhook and Slack URLs that accept and stay silent: more of
// them than the delivery worker sends at once) or refuse connections. Throughput and ack latency stay within generous ratios of the first run,
// every webhook is acknowledged and stored, the healthy channel still gets each notification
// promptly, and the stuck channels' attempts time out (or are refused) and are logged.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery } from "../testing/deliveries";
import { refusingUrl, startHttpReceiver, waitUntil, type HttpReceiver } from "../testing/receivers";
import { startAppServer, type AppServer } from "../testing/server";
import { missingFromDatabase, percentile, WebhookStream } from "../testing/stream";
import { call } from "../testing/users";
import { SEND_TIMEOUT_MS } from "./send-result";

const TOKEN = `admin-api-token-${randomUUID()}`;
const SECRET = "stuck-channel-secret";
const SITE = `stuck-${randomUUID().slice(0, 8)}`;
const RATE = 100;
const FRESH_EVERY = 20;
/** Hanging channels, half webhooks, half Slack: more than the worker's 5 sends at once. */
const HANGING = 6;

let database: ScratchDatabase;
let server: AppServer;
let healthy: HttpReceiver;
let hanging: { receiver: HttpReceiver; type: "webhook" | "slack"; channelId: string }[] = [];
const channels = { healthy: "", refusing: "" };
/** When each fresh error was sent, by the word that names it. */
const freshSentAt = new Map<string, number>();
const acknowledged = new Set<string>();
let sequence = 0;

const api = (path: string, options: Parameters<typeof call>[2] = {}) => call(server.url, path, { token: TOKEN, ...options });

async function createChannel(body: object): Promise<{ id: string; secret: string | null }> {
  const reply = await api("/api/channels", { method: "POST", body });
  expect(reply.status, reply.text).toBe(201);
  return { id: reply.json.channel.id, secret: reply.json.secret };
}

async function createRule(name: string, channelIds: string[]): Promise<void> {
  const reply = await api("/api/alert-rules", { method: "POST", body: { websiteId: SITE, name, condition: "new_issue", channelIds } });
  expect(reply.status, reply.text).toBe(201);
}

beforeAll(async () => {
  healthy = await startHttpReceiver();
  hanging = await Promise.all(
    Array.from({ length: HANGING }, async (_, i) => ({ receiver: await startHttpReceiver("hang"), type: i % 2 === 0 ? ("webhook" as const) : ("slack" as const), channelId: "" })),
  );
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN, LIVESESSION_WEBHOOK_SECRET: SECRET });
  expect((await api("/api/websites", { method: "POST", body: { id: SITE } })).status).toBe(201);
  const hook = await createChannel({ type: "webhook", name: "Healthy", url: healthy.url });
  healthy.secret = hook.secret;
  channels.healthy = hook.id;
  await createRule("New errors, healthy", [channels.healthy]);
}, 120_000);

afterAll(async () => {
  // Closing the hanging receivers first ends the server's pending sends, so it stops at once.
  await Promise.all([healthy?.close(), ...hanging.map((h) => h.receiver.close())]);
  await server?.stop();
  await database?.drop();
});

/** A word of letters only (digits would be normalized away, grouping every fresh error into one issue). */
const word = (n: number) => [...n.toString(26)].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join("");

/** The next delivery of the stream: a known error, or every FRESH_EVERY-th a never-seen one. */
function next() {
  sequence++;
  const fresh = sequence % FRESH_EVERY === 0 ? `q${word(sequence)}` : null;
  if (fresh) freshSentAt.set(fresh, Date.now());
  return delivery("js-error", (d) => {
    d.website_id = SITE;
    d.created_at = Math.floor(Date.now() / 1000);
    d.payload.time = Date.now();
    if (fresh) d.payload.value = `Stuck channel test: fresh error ${fresh}`;
  });
}

type Run = { sent: number; fresh: string[]; perSecond: number; p50: number; p95: number; refusals: object };

/** Streams RATE signed webhooks a second for `ms`; returns the figures and the fresh errors it sent. */
async function streamFor(ms: number): Promise<Run> {
  const before = new Set(freshSentAt.keys());
  const stream = new WebhookStream(server.url, { secret: SECRET });
  const started = performance.now();
  await stream.run(next, RATE, ms);
  expect(await stream.settle(30_000)).toBe(true);
  const elapsed = (performance.now() - started) / 1000;
  await stream.close();
  for (const id of stream.acked) acknowledged.add(id);
  const latencies = Float64Array.from(stream.ackLatencies).sort();
  const counts = stream.counted();
  return {
    sent: counts.sent,
    fresh: [...freshSentAt.keys()].filter((fresh) => !before.has(fresh)),
    perSecond: counts.acknowledged / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    refusals: counts.refusals,
  };
}

/** Milliseconds from sending each fresh error to the healthy channel receiving its "fired" notification, sorted. */
function noticeLatencies(fresh: string[]): number[] {
  return fresh
    .map((name) => {
      const notice = healthy.received.find((r) => (r.json?.alert?.title as string | undefined)?.endsWith(` ${name}`));
      return notice ? notice.at - freshSentAt.get(name)! : Infinity;
    })
    .sort((a, b) => a - b);
}

async function attemptsOf(channelId: string): Promise<{ ok: boolean; status_code: number | null; error: string | null; duration_ms: number }[]> {
  const { rows } = await database.query(
    `SELECT a.ok, a.status_code, a.error, a.duration_ms FROM notification_attempts a JOIN notification_deliveries d ON d.id = a.delivery_id
     WHERE d.channel_id = $1 ORDER BY a.id`,
    [channelId],
  );
  return rows;
}

/** The most requests a receiver had open at once, taking each as open for `openMs` after it arrived. */
function mostAtOnce(receiver: HttpReceiver, openMs: number): number {
  const arrivals = receiver.received.map((r) => r.at);
  return Math.max(0, ...arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + openMs).length));
}

const ms = (n: number) => `${Number.isFinite(n) ? n.toFixed(0) : "never"} ms`;
const describeRun = (r: Run, notices: number[]) =>
  `${r.sent} sent, ${r.perSecond.toFixed(0)}/s acknowledged, ack p50 ${r.p50.toFixed(1)} ms p95 ${r.p95.toFixed(1)} ms; ` +
  `${r.fresh.length} new issues, healthy channel notified p50 ${ms(percentile(notices, 50))} p95 ${ms(percentile(notices, 95))} max ${ms(notices.at(-1) ?? NaN)}`;

describe("stuck notification channels", () => {
  it("do not slow ingest down, nor the healthy channel's notifications; their attempts time out and are logged", async () => {
    // Warms the server up (compiled code, connections), so that the runs compare like with like.
    const warmUp = await streamFor(3_000);
    const baseline = await streamFor(8_000);

    for (const [i, h] of hanging.entries()) {
      const channel = await createChannel({ type: h.type, name: `Hangs ${i + 1}`, url: h.receiver.url });
      h.receiver.secret = channel.secret;
      h.channelId = channel.id;
    }
    channels.refusing = (await createChannel({ type: "webhook", name: "Refuses", url: await refusingUrl() })).id;
    await createRule("New errors, stuck", [...hanging.map((h) => h.channelId), channels.refusing]);
    const stuckStarted = Date.now();
    const withStuck = await streamFor(12_000);

    const fresh = [...warmUp.fresh, ...baseline.fresh, ...withStuck.fresh];
    // The fixture's own error was new too, at the first delivery.
    const newIssues = fresh.length + 1;
    await waitUntil(() => healthy.received.length >= newIssues, "the healthy channel's notifications", 15_000);
    // The first sends to the hanging channels end by the timeout; wait for their attempts.
    await waitUntil(async () => (await Promise.all(hanging.map((h) => attemptsOf(h.channelId)))).every((logged) => logged.length > 0), "the timed-out attempts", 20_000);
    const elapsedStuck = Date.now() - stuckStarted;
    const baselineNotices = noticeLatencies(baseline.fresh);
    const stuckNotices = noticeLatencies(withStuck.fresh);
    const hangingAttempts = await Promise.all(hanging.map((h) => attemptsOf(h.channelId)));
    const refusingAttempts = await attemptsOf(channels.refusing);
    const { rows: queued } = await database.query(
      "SELECT channel_id, status, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2 ORDER BY 1, 2",
    );

    console.log(`healthy channel only:      ${describeRun(baseline, baselineNotices)}`);
    console.log(`with stuck channels added: ${describeRun(withStuck, stuckNotices)}`);
    console.log(
      `stuck channels after ${(elapsedStuck / 1000).toFixed(1)} s: ${HANGING} hanging ones received ${hanging.map((h) => h.receiver.received.length).join("/")} ` +
        `(attempts logged ${hangingAttempts.map((logged) => logged.length).join("/")}), the refusing one ${refusingAttempts.length} attempts; ` +
        `queue: healthy ${queued.filter((q) => q.channel_id === channels.healthy).map((q) => `${q.status} ${q.n}`).join(", ")}, ` +
        `stuck pending ${queued.filter((q) => q.channel_id !== channels.healthy && q.status === "pending").reduce((sum, q) => sum + q.n, 0)}`,
    );

    // Ingest: every webhook acknowledged and stored, as fast as without the stuck channels.
    expect(baseline.refusals).toEqual({});
    expect(withStuck.refusals).toEqual({});
    expect(await missingFromDatabase(database.url, acknowledged)).toEqual([]);
    expect(acknowledged.size).toBe(warmUp.sent + baseline.sent + withStuck.sent);
    expect(withStuck.perSecond).toBeGreaterThan(baseline.perSecond * 0.8);
    // Generous: the machine is shared; a channel that held ingest up would add seconds.
    expect(withStuck.p50).toBeLessThan(baseline.p50 * 4 + 100);
    expect(withStuck.p95).toBeLessThan(baseline.p95 * 4 + 250);

    // Every new issue fired both rules: one alert each.
    const { rows: alerts } = await database.query("SELECT r.name, count(*)::int AS n FROM alerts a JOIN alert_rules r ON r.id = a.rule_id GROUP BY 1 ORDER BY 1");
    expect(alerts).toEqual([
      { name: "New errors, healthy", n: newIssues },
      { name: "New errors, stuck", n: withStuck.fresh.length },
    ]);

    // The healthy channel got every notification once, signed, and never waited for a stuck send
    // (which takes the whole timeout): within a few seconds, as without the stuck channels.
    expect(healthy.received).toHaveLength(newIssues);
    for (const request of healthy.received) expect(request.signatureValid).toBe(true);
    expect(baselineNotices.at(-1)).toBeLessThan(5_000);
    expect(percentile(stuckNotices, 95)).toBeLessThan(5_000);
    expect(stuckNotices.at(-1)).toBeLessThan(SEND_TIMEOUT_MS - 1_000);

    // The stuck channels: each send hangs until the timeout, at most two at a time per channel,
    // and each attempt is logged as a failure with the reason; the rest wait in the queue.
    const pending = (channelId: string) => queued.find((q) => q.channel_id === channelId && q.status === "pending")?.n ?? 0;
    for (const [i, { receiver, type, channelId }] of hanging.entries()) {
      const logged = hangingAttempts[i]!;
      expect(receiver.received.length).toBeGreaterThan(0);
      if (type === "webhook") expect(receiver.received[0]!.signatureValid).toBe(true);
      expect(mostAtOnce(receiver, SEND_TIMEOUT_MS - 500)).toBeLessThanOrEqual(2);
      for (const attempt of logged) {
        expect(attempt).toMatchObject({ ok: false, status_code: null, error: `Timed out after ${SEND_TIMEOUT_MS / 1000} s` });
        expect(attempt.duration_ms).toBeGreaterThanOrEqual(SEND_TIMEOUT_MS - 100);
        expect(attempt.duration_ms).toBeLessThan(SEND_TIMEOUT_MS + 3_000);
      }
      expect(pending(channelId)).toBeGreaterThan(0);
      const view = (await api(`/api/channels/${channelId}`)).json.channel;
      expect(view).toMatchObject({ lastError: `Timed out after ${SEND_TIMEOUT_MS / 1000} s`, lastSuccessAt: null });
      expect(view.consecutiveFailures).toBeGreaterThanOrEqual(logged.length);
    }
    expect(refusingAttempts.length).toBeGreaterThan(0);
    for (const attempt of refusingAttempts) expect(attempt).toMatchObject({ ok: false, status_code: null, error: "Request failed (ECONNREFUSED)" });
    expect(pending(channels.refusing)).toBe(withStuck.fresh.length);
  }, 120_000);
});
