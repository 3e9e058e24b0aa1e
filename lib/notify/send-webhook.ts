// Webhook channels: the NotificationPayload as JSON, signed like Stripe's webhooks so a receiver
// can check both origin and freshness.
import { createHmac } from "node:crypto";
import type { NotificationPayload } from "../alerts/types";
import { postJson } from "./http";
import type { SendResult } from "./send-result";

export const SIGNATURE_HEADER = "LSM-Signature";
export const DELIVERY_HEADER = "LSM-Delivery";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signatureHeader(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

export async function sendWebhook(
  target: { url: string; secret: string },
  payload: NotificationPayload,
  deliveryId: string,
  timeoutMs?: number,
): Promise<SendResult> {
  const body = JSON.stringify(payload);
  return postJson(target.url, body, { [SIGNATURE_HEADER]: signatureHeader(target.secret, body), [DELIVERY_HEADER]: deliveryId }, timeoutMs);
}
