import { ApiError } from "../api/errors";
import { env } from "../env";
import { ingestEvent, recordRejectedDelivery } from "../ingest/ingest";
import { logger } from "../log";
import { cachedWebhookSecrets } from "../websites/webhook-secrets";
import { loadWebhookSecrets, recordSignatureFailure } from "../websites/websites";
import { parseDelivery, parseJson } from "./parse";
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

/** The body as text and JSON, or the 400 that explains why it is neither. */
function read(body: Buffer): { raw: string; json: unknown } | ApiError {
  try {
    const raw = decode(body);
    return { raw, json: parseJson(raw) };
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

/** The website a delivery names, when it could be one (text PostgreSQL can hold: no NUL, no lone surrogate). */
function websiteIdOf(json: unknown): string | null {
  const id = json !== null && typeof json === "object" ? (json as { website_id?: unknown }).website_id : null;
  return typeof id === "string" && id.length > 0 && id.length <= 255 && !id.includes("\u0000") && id.isWellFormed() ? id : null;
}

/**
 * The signature check: a website with its own secrets needs one of them (the current one or
 * one still in its grace period); other deliveries need LIVESESSION_WEBHOOK_SECRET when set.
 */
async function checkSignature(delivery: WebhookDelivery, websiteId: string | null): Promise<void> {
  const own = websiteId ? await cachedWebhookSecrets(websiteId, loadWebhookSecrets) : [];
  const fallback = env().LIVESESSION_WEBHOOK_SECRET;
  const secrets = own.length > 0 ? own : fallback ? [fallback] : [];
  if (secrets.length === 0 || secrets.some((secret) => verifySignature(delivery.body, delivery.signature, secret))) return;
  if (websiteId) {
    await recordSignatureFailure(websiteId).catch((error: unknown) => logger().warn({ err: error }, "could not count a signature failure"));
  }
  throw new ApiError(
    "unauthorized",
    delivery.signature ? "The LiveSession-Signature header does not match the body." : "The LiveSession-Signature header is missing.",
  );
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
  const body = read(delivery.body);
  // An unreadable body names no website: only the default secret can apply to it.
  await checkSignature(delivery, body instanceof ApiError ? null : websiteIdOf(body.json));

  let event;
  try {
    if (body instanceof ApiError) throw body;
    event = parseDelivery(body.raw, new Date(), body.json);
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
