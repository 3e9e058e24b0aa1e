// The delivery queue (notification_deliveries): claiming due rows under a lease, sending one to
// its channel, and recording the attempt with its consequences for the delivery and the channel.
// Every function takes the Prisma client, so several workers (pools) can share one database.
import type { NotificationPayload } from "../alerts/types";
import { decrypt } from "../auth/app-key";
import type { PrismaClient } from "../generated/prisma/client";
import { sendEmail, smtpSettings } from "./send-email";
import { failed, SEND_TIMEOUT_MS, type SendResult } from "./send-result";
import { sendSlack } from "./send-slack";
import { sendWebhook } from "./send-webhook";

/** A delivery that failed this many times is given up (status failed). */
export const MAX_ATTEMPTS = 8;

const MINUTE = 60_000;
/** The wait after the 1st, 2nd, … failed attempt (the last repeats). */
const RETRY_DELAYS_MS = [0.5, 2, 10, 30, 60, 120, 240].map((minutes) => minutes * MINUTE);

/** The wait before the next attempt after `attempts` failed ones, ±20 % so retries of many deliveries spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A claim's lease: longer than a send can take and its attempt be recorded, so a live claim never expires. */
export function leaseMs(timeoutMs: number): number {
  return timeoutMs * 3 + 30_000;
}

export type Claimed = { id: bigint; channelId: string; attempts: number; payload: NotificationPayload };

export type ClaimOptions = {
  limit: number;
  /** A claimed row is due again after this long, should its claimer die without recording an attempt. */
  leaseMs: number;
  /** At most this many rows of one channel per claim: a slow channel cannot take every slot. */
  perChannel: number;
  /** Channels to leave for now (the caller is still sending to them). */
  skipChannels: string[];
};

/**
 * Claims up to `limit` due pending deliveries by pushing their next_attempt_at past the lease.
 * SKIP LOCKED lets concurrent claimers take disjoint rows; the outer conditions are checked
 * again on the locked row, so a row another claimer just leased is not taken twice.
 */
export async function claimDeliveries(client: PrismaClient, options: ClaimOptions): Promise<Claimed[]> {
  const { limit, leaseMs, perChannel, skipChannels } = options;
  const rows = await client.$queryRaw<{ id: bigint; channel_id: string; attempts: number; payload: NotificationPayload }[]>`
    UPDATE notification_deliveries d
    SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE d.id IN (
      SELECT q.id FROM notification_deliveries q
      WHERE q.id IN (
        SELECT ranked.id FROM (
          SELECT due.id, row_number() OVER (PARTITION BY due.channel_id ORDER BY due.next_attempt_at, due.id) AS rank
          FROM (
            SELECT id, channel_id, next_attempt_at FROM notification_deliveries
            WHERE status = 'pending' AND next_attempt_at <= now() AND NOT (channel_id = ANY(${skipChannels}::text[]))
            ORDER BY next_attempt_at LIMIT 1000
          ) due
        ) ranked
        WHERE ranked.rank <= ${perChannel})
        AND q.status = 'pending' AND q.next_attempt_at <= now()
      ORDER BY q.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.channel_id, d.attempts, d.payload`;
  return rows.map((row) => ({ id: row.id, channelId: row.channel_id, attempts: row.attempts, payload: row.payload }));
}

/** A channel as stored (target and secret still encrypted). */
export type StoredChannel = { id: string; type: string; target: string; secret: string | null };

/** Sends one notification to a channel; never throws. */
export async function sendToChannel(channel: StoredChannel, payload: NotificationPayload, deliveryId: string, timeoutMs = SEND_TIMEOUT_MS): Promise<SendResult> {
  let target: string;
  let secret: string | null;
  try {
    target = decrypt(channel.target);
    secret = channel.secret === null ? null : decrypt(channel.secret);
  } catch {
    return failed("The channel's settings cannot be decrypted (was AUTH_SECRET changed?): edit the channel to enter them again.");
  }
  switch (channel.type) {
    case "webhook":
      if (!secret) return failed("The webhook channel has no signing secret.");
      return sendWebhook({ url: target, secret }, payload, deliveryId, timeoutMs);
    case "slack":
      return sendSlack({ url: target }, payload, timeoutMs);
    case "email":
      return sendEmail(target.split(","), payload, smtpSettings(), timeoutMs);
    default:
      return failed(`Unknown channel type "${channel.type}".`);
  }
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export type Attempt = SendResult & { durationMs: number; status: DeliveryStatus };

/**
 * Records one attempt of a claimed delivery, in one statement: the attempt row; the delivery
 * delivered, retried after a back-off, or given up after `maxAttempts`; and the channel's
 * health. Nothing is recorded when the delivery is gone (its channel was deleted meanwhile)
 * or no longer pending.
 */
export async function recordAttempt(
  client: PrismaClient,
  delivery: Pick<Claimed, "id" | "attempts">,
  result: SendResult & { durationMs: number },
  schedule: { maxAttempts: number; retryDelayMs: (attempts: number) => number },
): Promise<DeliveryStatus> {
  const attempts = delivery.attempts + 1;
  const status: DeliveryStatus = result.ok ? "delivered" : attempts >= schedule.maxAttempts ? "failed" : "pending";
  const delaySeconds = status === "pending" ? schedule.retryDelayMs(attempts) / 1000 : 0;
  await client.$executeRaw`
    WITH d AS (
      UPDATE notification_deliveries
      SET attempts = ${attempts}, status = ${status}, next_attempt_at = now() + make_interval(secs => ${delaySeconds})
      WHERE id = ${delivery.id} AND status = 'pending'
      RETURNING id, channel_id
    ), a AS (
      INSERT INTO notification_attempts (delivery_id, ok, status_code, error, duration_ms)
      SELECT id, ${result.ok}, ${result.statusCode}::int, ${result.error}, ${result.durationMs} FROM d
    )
    UPDATE notification_channels c SET
      consecutive_failures = CASE WHEN ${result.ok} THEN 0 ELSE c.consecutive_failures + 1 END,
      last_success_at = CASE WHEN ${result.ok} THEN now() ELSE c.last_success_at END,
      last_error = CASE WHEN ${result.ok} THEN c.last_error ELSE ${result.error} END,
      last_failure_at = CASE WHEN ${result.ok} THEN c.last_failure_at ELSE now() END
    FROM d WHERE c.id = d.channel_id`;
  return status;
}

/** Sends a claimed delivery and records the attempt. */
export async function attemptDelivery(
  client: PrismaClient,
  delivery: Claimed,
  channel: StoredChannel,
  options: { timeoutMs: number; maxAttempts: number; retryDelayMs: (attempts: number) => number },
): Promise<Attempt> {
  const started = performance.now();
  const result = await sendToChannel(channel, delivery.payload, delivery.id.toString(), options.timeoutMs);
  const durationMs = Math.round(performance.now() - started);
  const status = await recordAttempt(client, delivery, { ...result, durationMs }, options);
  return { ...result, durationMs, status };
}
