import { createHmac, timingSafeEqual } from "node:crypto";

/** LiveSession's `LiveSession-Signature`: base64 HMAC-SHA256 of the raw body, keyed with the webhook secret. */
export function signBody(body: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export function verifySignature(body: Buffer, signature: string | null, secret: string): boolean {
  if (!signature) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature.trim(), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
