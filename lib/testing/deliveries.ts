import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURES = ["js-error", "net-error", "error-click", "rage-click", "custom"] as const;
export type FixtureName = (typeof FIXTURES)[number];

/** One of LiveSession's documented example payloads, as parsed JSON. */
export function fixture(name: FixtureName): Record<string, any> {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "../livesession/fixtures", `${name}.json`), "utf8"));
}

/** A fixture with a fresh message_id and optional changes, as the JSON text to post. */
export function delivery(name: FixtureName, change: (d: Record<string, any>) => void = () => {}): { body: string; messageId: string } {
  const d = fixture(name);
  d.message_id = randomUUID();
  change(d);
  return { body: JSON.stringify(d), messageId: d.message_id };
}

export async function postWebhook(
  baseUrl: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${baseUrl}/api/webhooks/livesession`, { method: "POST", headers, body });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}
