import { ApiError } from "../api/errors";
import { env } from "../env";
import { ingestEvent, recordRejectedDelivery } from "../ingest/ingest";
import { parseDelivery } from "./parse";
import { verifySignature } from "./signature";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookDelivery = { body: Buffer; contentType: string | null; signature: string | null };
export type WebhookReceipt = { status: "stored" | "duplicate"; messageId: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isJson(contentType: string | null): boolean {
  if (!contentType) return true;
  const type = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

function decode(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new ApiError("invalid_json", "Malformed JSON: the body is not valid UTF-8");
  }
}

/**
 * Receives one `session.event` delivery: checks its type and signature, parses it, and
 * stores it durably. A delivery refused for its content is kept in rejected_deliveries.
 */
export async function receiveWebhook(delivery: WebhookDelivery): Promise<WebhookReceipt> {
  if (!isJson(delivery.contentType)) {
    throw new ApiError("unsupported_media_type", "Webhooks must be sent as application/json.");
  }
  if (delivery.body.length > MAX_WEBHOOK_BYTES) {
    throw new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`);
  }
  const secret = env().LIVESESSION_WEBHOOK_SECRET;
  if (secret && !verifySignature(delivery.body, delivery.signature, secret)) {
    throw new ApiError(
      "unauthorized",
      delivery.signature ? "The LiveSession-Signature header does not match the body." : "The LiveSession-Signature header is missing.",
    );
  }

  let event;
  try {
    event = parseDelivery(decode(delivery.body), new Date());
  } catch (error) {
    if (error instanceof ApiError) {
      await recordRejectedDelivery({
        reason: error.message,
        details: error.details,
        contentType: delivery.contentType,
        body: delivery.body,
      });
    }
    throw error;
  }
  const { duplicate } = await ingestEvent(event);
  return { status: duplicate ? "duplicate" : "stored", messageId: event.messageId };
}
