// The delivery worker: every app instance runs one. Each second (and when kicked) it claims due
// deliveries under a lease and sends them, a bounded number at a time and at most a couple per
// channel, so a slow or unreachable channel delays only its own notifications. No lock or
// transaction is held while sending: a claim is a single UPDATE, an attempt a single statement.
import { db } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../log";
import { attemptDelivery, claimDeliveries, leaseMs, MAX_ATTEMPTS, retryDelayMs, type Claimed, type StoredChannel } from "./queue";
import { SEND_TIMEOUT_MS } from "./send-result";

export type WorkerOptions = {
  /** The database to work on (default: the app's client). */
  client?: PrismaClient;
  /** How often it looks for due deliveries. */
  intervalMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Sends in flight to one channel at once. */
  perChannel?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  retryDelayMs?: (attempts: number) => number;
};

export type DeliveryWorker = { stop(): Promise<void> };

/**
 * A send still running after this long stops holding one of the `concurrency` slots: it still
 * counts against its channel's `perChannel`, so sends in flight stay bounded (by `concurrency`
 * plus `perChannel` per stuck channel), but stuck channels, however many, cannot take every slot
 * from the others for the whole timeout.
 */
const SLOW_SEND_MS = 1_000;

const workersKey = Symbol.for("lsm.notify.workers");
type WorkerRegistry = { [workersKey]?: Set<() => void> };

/** The kick of each worker started in this process (route bundles see the same set). */
function kicks(): Set<() => void> {
  const registry = globalThis as WorkerRegistry;
  registry[workersKey] ??= new Set();
  return registry[workersKey];
}

/** Makes this process's workers look for due deliveries now (after queueing some). */
export function kickDeliveries(): void {
  for (const kick of kicks()) kick();
}

export function startDeliveryWorker(options: WorkerOptions = {}): DeliveryWorker {
  const client = options.client ?? db();
  const intervalMs = options.intervalMs ?? 1_000;
  const concurrency = options.concurrency ?? 5;
  const perChannel = options.perChannel ?? 2;
  const send = {
    timeoutMs: options.timeoutMs ?? SEND_TIMEOUT_MS,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    retryDelayMs: options.retryDelayMs ?? retryDelayMs,
  };
  const lease = leaseMs(send.timeoutMs);

  const inFlight = new Map<bigint, Promise<void>>();
  const slow = new Set<bigint>();
  const slots = () => concurrency - (inFlight.size - slow.size);
  const perChannelInFlight = new Map<string, number>();
  let stopping = false;
  let polling: Promise<void> | null = null;
  let again = false;

  const deliver = async (delivery: Claimed, channel: StoredChannel | undefined) => {
    if (!channel) return; // Deleted after the claim: its deliveries went with it.
    const attempt = await attemptDelivery(client, delivery, channel, send);
    if (!attempt.ok) {
      logger().warn(
        { deliveryId: delivery.id.toString(), channelId: channel.id, type: channel.type, attempt: delivery.attempts + 1, status: attempt.status, error: attempt.error },
        "notification delivery failed",
      );
    }
  };

  const start = (delivery: Claimed, channel: StoredChannel | undefined) => {
    perChannelInFlight.set(delivery.channelId, (perChannelInFlight.get(delivery.channelId) ?? 0) + 1);
    const slowTimer = setTimeout(() => {
      slow.add(delivery.id);
      kick();
    }, SLOW_SEND_MS).unref();
    const running = deliver(delivery, channel)
      .catch((error: unknown) => logger().error({ err: error, deliveryId: delivery.id.toString() }, "notification delivery could not be recorded"))
      .finally(() => {
        clearTimeout(slowTimer);
        slow.delete(delivery.id);
        inFlight.delete(delivery.id);
        const left = (perChannelInFlight.get(delivery.channelId) ?? 1) - 1;
        if (left > 0) perChannelInFlight.set(delivery.channelId, left);
        else perChannelInFlight.delete(delivery.channelId);
        kick();
      });
    inFlight.set(delivery.id, running);
  };

  /** Claims while there are free slots and due deliveries. */
  const poll = async () => {
    while (!stopping && slots() > 0) {
      const busy = [...perChannelInFlight.keys()];
      const claimed = await claimDeliveries(client, { limit: Math.min(20, slots()), leaseMs: lease, perChannel, skipChannels: busy });
      if (claimed.length === 0) return;
      const ids = [...new Set(claimed.map((delivery) => delivery.channelId))];
      const channels = await client.notificationChannel.findMany({ where: { id: { in: ids } }, select: { id: true, type: true, target: true, secret: true } });
      const byId = new Map(channels.map((channel) => [channel.id, channel]));
      for (const delivery of claimed) start(delivery, byId.get(delivery.channelId));
    }
  };

  function kick() {
    if (stopping) return;
    if (polling) {
      again = true;
      return;
    }
    polling = poll()
      .catch((error: unknown) => logger().warn({ err: error }, "notification queue could not be read"))
      .finally(() => {
        polling = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  kicks().add(kick);
  const timer = setInterval(kick, intervalMs).unref();
  kick();
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      kicks().delete(kick);
      await polling;
      await Promise.all(inFlight.values());
    },
  };
}
