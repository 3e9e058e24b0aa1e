// Notification channels: where alerts are sent. A channel's target (URL or recipients) and a
// webhook's signing secret are stored encrypted with the app key; lists show the URL's scheme
// and host only, since a Slack incoming-webhook URL is itself a credential.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { NotificationPayload } from "../alerts/types";
import { ApiError } from "../api/errors";
import { decrypt, encrypt } from "../auth/app-key";
import { db } from "../db/client";
import { publicUrl } from "../env";
import type { NotificationChannel } from "../generated/prisma/client";
import { attemptDelivery, leaseMs, type DeliveryStatus } from "./queue";
import { smtpProblem } from "./send-email";
import { SEND_TIMEOUT_MS } from "./send-result";

/** The settings page flags a channel once this many deliveries in a row failed. */
export const FAILING_AFTER = 3;
export const MAX_RECIPIENTS = 20;

const name = z.string().trim().min(1, "A name is required").max(200);
const url = z
  .url({ protocol: /^https?$/, error: "An http:// or https:// URL is required" })
  .max(2000)
  // Refinements run even after the URL check failed: only look at URLs that parse.
  .refine((value) => !URL.canParse(value) || (!new URL(value).username && !new URL(value).password), "Put no credentials in the URL");
const recipients = z
  .array(z.email("A valid email address is required").max(320))
  .min(1, "At least one recipient is required")
  .max(MAX_RECIPIENTS)
  .transform((list) => [...new Set(list.map((address) => address.trim()))]);

export const createChannelBody = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), name, url }).strict(),
  z.object({ type: z.literal("slack"), name, url }).strict(),
  z.object({ type: z.literal("email"), name, recipients }).strict(),
]);
export type CreateChannelInput = z.infer<typeof createChannelBody>;

export const updateChannelBody = z
  .object({ name: name.optional(), url: url.optional(), recipients: recipients.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "Nothing to change");
export type UpdateChannelInput = z.infer<typeof updateChannelBody>;

/** What a URL channel shows of its target: scheme and host (the path and query may hold a token). */
export function maskUrl(value: string): string {
  const parsed = new URL(value);
  return `${parsed.protocol}//${parsed.host}`;
}

/** The target as shown; null when it cannot be decrypted (AUTH_SECRET changed): the channel must be edited. */
function readableTarget(row: NotificationChannel): string | null {
  try {
    return decrypt(row.target);
  } catch {
    return null;
  }
}

function channelView(row: NotificationChannel) {
  const target = readableTarget(row);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const email = row.type === "email";
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    /** webhook, slack: the URL's scheme and host; email: the recipients; null when unreadable. */
    target: target === null ? null : email ? target.split(",").join(", ") : maskUrl(target),
    recipients: target !== null && email ? target.split(",") : null,
    consecutiveFailures: row.consecutiveFailures,
    failing: row.consecutiveFailures >= FAILING_AFTER,
    lastError: row.lastError,
    lastFailureAt: iso(row.lastFailureAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    createdAt: row.createdAt.toISOString(),
  };
}

export type ChannelView = ReturnType<typeof channelView>;

function notFound(): ApiError {
  return new ApiError("not_found", "No such channel.");
}

async function findChannel(id: string): Promise<NotificationChannel> {
  const row = await db().notificationChannel.findUnique({ where: { id } });
  if (!row) throw notFound();
  return row;
}

export async function listChannels(): Promise<{ channels: ChannelView[]; smtpProblem: string | null }> {
  const rows = await db().notificationChannel.findMany({ orderBy: [{ name: "asc" }, { createdAt: "asc" }] });
  return { channels: rows.map(channelView), smtpProblem: smtpProblem() };
}

export async function getChannel(id: string): Promise<ChannelView> {
  return channelView(await findChannel(id));
}

/** Creates a channel; a webhook channel's signing secret is returned here, once. */
export async function createChannel(input: CreateChannelInput): Promise<{ channel: ChannelView; secret: string | null }> {
  const secret = input.type === "webhook" ? `lsm_whsec_${randomBytes(32).toString("base64url")}` : null;
  const target = input.type === "email" ? input.recipients.join(",") : input.url;
  const row = await db().notificationChannel.create({
    data: { name: input.name, type: input.type, target: encrypt(target), secret: secret === null ? null : encrypt(secret) },
  });
  return { channel: channelView(row), secret };
}

/** Renames a channel or changes where it sends (a URL for webhook and Slack, recipients for email). */
export async function updateChannel(id: string, input: UpdateChannelInput): Promise<ChannelView> {
  const row = await findChannel(id);
  const email = row.type === "email";
  if (input.url !== undefined && email) throw new ApiError("bad_request", "An email channel has recipients, not a URL.");
  if (input.recipients !== undefined && !email) throw new ApiError("bad_request", `A ${row.type} channel has a URL, not recipients.`);
  const target = input.url ?? input.recipients?.join(",");
  const updated = await db().notificationChannel.update({
    where: { id },
    data: { name: input.name, target: target === undefined ? undefined : encrypt(target) },
  });
  return channelView(updated);
}

/** Deletes a channel, with its deliveries; rules that used it keep their other channels. */
export async function deleteChannel(id: string): Promise<void> {
  const { count } = await db().notificationChannel.deleteMany({ where: { id } });
  if (count === 0) throw notFound();
}

/** A webhook channel's signing secret, for an admin who lost it. */
export async function revealChannelSecret(id: string): Promise<{ secret: string }> {
  const row = await findChannel(id);
  if (row.secret === null) throw new ApiError("bad_request", "Only webhook channels have a signing secret.");
  return { secret: decrypt(row.secret) };
}

export function testPayload(channel: { name: string }): NotificationPayload {
  return {
    reason: "test",
    alert: null,
    url: `${publicUrl()}/settings/channels`,
    summary: `A test notification for the channel “${channel.name}”: if you read this, it works.`,
    sentAt: new Date().toISOString(),
  };
}

export type TestResult = {
  deliveryId: string;
  status: DeliveryStatus;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};

/**
 * Sends a test notification at once: one attempt, logged as a delivery (reason "test") like any
 * other, and counted in the channel's health. The row is leased while it is sent, so the worker
 * leaves it alone.
 */
export async function sendTestNotification(channelId: string): Promise<TestResult> {
  const channel = await findChannel(channelId);
  const payload = testPayload(channel);
  const delivery = await db().notificationDelivery.create({
    data: { channelId, reason: "test", payload, nextAttemptAt: new Date(Date.now() + leaseMs(SEND_TIMEOUT_MS)) },
  });
  const attempt = await attemptDelivery(
    db(),
    { id: delivery.id, channelId, attempts: 0, payload },
    channel,
    { timeoutMs: SEND_TIMEOUT_MS, maxAttempts: 1, retryDelayMs: () => 0 },
  );
  return { deliveryId: delivery.id.toString(), ...attempt };
}
