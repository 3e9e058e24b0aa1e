// The delivery worker against real PostgreSQL and local receivers: retries with back-off, giving
// up, the channel's health, timeouts that do not hold up other channels, and several workers
// sharing one queue.
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadAppSecret } from "../auth/app-key";
import { disconnectDb } from "../db/client";
import { setDatabaseUrl } from "../env";
import { PrismaClient } from "../generated/prisma/client";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { startHttpReceiver, waitUntil, type HttpReceiver } from "../testing/receivers";
import { createChannel, listChannels, testPayload } from "./channels";
import { MAX_ATTEMPTS, retryDelayMs } from "./queue";
import { kickDeliveries, startDeliveryWorker, type DeliveryWorker, type WorkerOptions } from "./worker";

let database: ScratchDatabase;
const receivers: HttpReceiver[] = [];
const workers: DeliveryWorker[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  setDatabaseUrl(database.url);
  await loadAppSecret();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await database.query("DELETE FROM notification_channels");
});

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

async function receiver(mode: HttpReceiver["mode"] = "ok"): Promise<HttpReceiver> {
  const started = await startHttpReceiver(mode);
  receivers.push(started);
  return started;
}

function worker(options: WorkerOptions = {}): DeliveryWorker {
  const started = startDeliveryWorker({ intervalMs: 50, timeoutMs: 2_000, retryDelayMs: () => 200, ...options });
  workers.push(started);
  return started;
}

async function webhookChannel(target: HttpReceiver, name = "Hook"): Promise<string> {
  const { channel, secret } = await createChannel({ type: "webhook", name, url: target.url });
  target.secret = secret;
  return channel.id;
}

/** Queues a notification as the evaluator does: a pending row per channel. */
async function enqueue(channelId: string, count = 1): Promise<string[]> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO notification_deliveries (channel_id, reason, payload)
     SELECT $1, 'fired', $2::jsonb FROM generate_series(1, $3) RETURNING id::text`,
    [channelId, JSON.stringify(testPayload({ name: "queued" })), count],
  );
  kickDeliveries();
  return rows.map((row) => row.id);
}

const delivery = async (id: string) =>
  (await database.query<{ status: string; attempts: number }>("SELECT status, attempts FROM notification_deliveries WHERE id = $1", [id])).rows[0]!;

const attempts = async (id: string) =>
  (
    await database.query<{ ok: boolean; status_code: number | null; error: string | null; duration_ms: number; at: Date }>(
      "SELECT ok, status_code, error, duration_ms, at FROM notification_attempts WHERE delivery_id = $1 ORDER BY at",
      [id],
    )
  ).rows;

const channelView = async (id: string) => (await listChannels()).channels.find((channel) => channel.id === id)!;

describe("retry schedule", () => {
  it("waits 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 4 h, give or take 20 %", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, middle) / 60_000)).toEqual([0.5, 2, 10, 30, 60, 120, 240, 240]);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 1)).toBe(36_000);
    expect(MAX_ATTEMPTS).toBe(8);
  });
});

describe("delivery worker", () => {
  it("retries a failing channel with back-off until it is delivered, logging every attempt; the failing flag comes at 3 failures and goes with a success", async () => {
    const target = await receiver("fail");
    const channelId = await webhookChannel(target);
    worker({ retryDelayMs: (n) => n * 150 });
    const [id] = await enqueue(channelId);

    await waitUntil(async () => (await delivery(id!)).attempts === 3, "three failed attempts");
    const failing = await channelView(channelId);
    expect(failing).toMatchObject({ consecutiveFailures: 3, failing: true, lastError: "HTTP 500: receiver says no", lastSuccessAt: null });
    expect(failing.lastFailureAt).not.toBeNull();

    target.mode = "ok";
    await waitUntil(async () => (await delivery(id!)).status === "delivered", "the delivery");
    expect(await delivery(id!)).toEqual({ status: "delivered", attempts: 4 });
    const log = await attempts(id!);
    expect(log.map((a) => [a.ok, a.status_code])).toEqual([
      [false, 500],
      [false, 500],
      [false, 500],
      [true, 200],
    ]);
    // Each wait at least the back-off of the attempts before it (150, 300, 450 ms).
    for (let i = 1; i < log.length; i++) expect(log[i]!.at.getTime() - log[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(i * 150 - 10);
    expect(target.received.map((r) => r.headers["lsm-delivery"])).toEqual([id, id, id, id]);
    expect(target.received.every((r) => r.signatureValid)).toBe(true);

    const healthy = await channelView(channelId);
    expect(healthy).toMatchObject({ consecutiveFailures: 0, failing: false, lastError: "HTTP 500: receiver says no" });
    expect(healthy.lastSuccessAt).not.toBeNull();
  });

  it("gives up after the last attempt", async () => {
    const target = await receiver("fail");
    const channelId = await webhookChannel(target);
    worker({ maxAttempts: 3, retryDelayMs: () => 50 });
    const [id] = await enqueue(channelId);
    await waitUntil(async () => (await delivery(id!)).status === "failed", "giving up");
    expect(await delivery(id!)).toEqual({ status: "failed", attempts: 3 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await attempts(id!)).toHaveLength(3);
    expect(target.received).toHaveLength(3);
  });

  it("does not let a channel that hangs delay another channel's deliveries", async () => {
    const stuck = await receiver("hang");
    const healthy = await receiver("ok");
    const stuckId = await webhookChannel(stuck, "Stuck");
    const healthyId = await webhookChannel(healthy, "Healthy");
    // More stuck deliveries than the worker has slots, queued first.
    const stuckDeliveries = await enqueue(stuckId, 6);
    worker({ concurrency: 3, timeoutMs: 1_500 });
    await waitUntil(() => stuck.received.length >= 1, "the stuck receiver to be called");
    const queuedAt = Date.now();
    const [healthyDelivery] = await enqueue(healthyId);
    await waitUntil(async () => (await delivery(healthyDelivery!)).status === "delivered", "the healthy delivery", 1_000);
    expect(Date.now() - queuedAt).toBeLessThan(1_000);
    // The stuck ones were cut off at the timeout, at most two at a time.
    expect((await delivery(stuckDeliveries[0]!)).status).toBe("pending");
    await waitUntil(async () => (await attempts(stuckDeliveries[0]!)).length === 1, "the stuck attempt to time out", 5_000);
    expect(await attempts(stuckDeliveries[0]!)).toMatchObject([{ ok: false, status_code: null, error: "Timed out after 1.5 s" }]);
    expect(stuck.received.length).toBeLessThanOrEqual(4);
  });

  it("shares the queue between workers on separate pools without sending a delivery twice", async () => {
    const targets = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    const channelIds = await Promise.all(targets.map((target, i) => webhookChannel(target, `Shared ${i}`)));
    const second = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 4 }) });
    try {
      worker({ concurrency: 4 });
      worker({ concurrency: 4, client: second });
      worker({ concurrency: 4, client: second });
      const ids = (await Promise.all(channelIds.map((channelId) => enqueue(channelId, 40)))).flat();
      await waitUntil(
        async () => (await database.query("SELECT 1 FROM notification_deliveries WHERE id = ANY($1::bigint[]) AND status <> 'delivered'", [ids])).rowCount === 0,
        "every delivery",
        30_000,
      );
      const sent = targets.flatMap((target) => target.received.map((r) => r.headers["lsm-delivery"]));
      expect(sent).toHaveLength(ids.length);
      expect(new Set(sent).size).toBe(ids.length);
      const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM notification_attempts WHERE delivery_id = ANY($1::bigint[])", [ids]);
      expect(rows[0]!.n).toBe(ids.length);
    } finally {
      await Promise.all(workers.splice(0).map((started) => started.stop()));
      await second.$disconnect();
    }
  });

  it("fails an email channel's deliveries with a clear error when SMTP_URL is not set", async () => {
    const { channel } = await createChannel({ type: "email", name: "Ops", recipients: ["ops@example.test"] });
    expect((await listChannels()).smtpProblem).toBe("SMTP_URL is not set");
    worker({ maxAttempts: 1 });
    const [id] = await enqueue(channel.id);
    await waitUntil(async () => (await delivery(id!)).status === "failed", "the email delivery to fail");
    expect(await attempts(id!)).toMatchObject([{ ok: false, error: "SMTP_URL is not set" }]);
    expect(await channelView(channel.id)).toMatchObject({ lastError: "SMTP_URL is not set", consecutiveFailures: 1, target: "ops@example.test" });
  });
});
