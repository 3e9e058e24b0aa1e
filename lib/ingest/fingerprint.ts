import { createHash } from "node:crypto";

const MAX_TITLE = 500;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// A quote only opens after a non-word character, so the apostrophe in "Couldn't" does not.
const QUOTED = /(?<!\w)(?:'[^'\n]*'|"[^"\n]*"|`[^`\n]*`)/g;
const HEX = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * An error message with its volatile parts replaced, so occurrences of the same error group
 * together: quoted values, UUIDs, hex hashes and numbers.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(QUOTED, "<str>")
    .replace(UUID, "<uuid>")
    .replace(HEX, "<hex>")
    .replace(NUMBER, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 2_000);
}

const ID_SEGMENT = [
  /^\d+$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^(?=[0-9a-f]*\d)[0-9a-f]{8,}$/i,
  /^(?=.*\d)[A-Za-z0-9_-]{16,}$/,
];

function templatePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (ID_SEGMENT.some((pattern) => pattern.test(segment)) ? ":id" : segment))
    .join("/");
}

/** A URL without its query and fragment, with id-like path segments templated (`/products/:id`). */
export function templateUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return `${parsed.origin}${templatePath(parsed.pathname)}`;
    }
  } catch {
    // Not an absolute URL: template it as a path.
  }
  return templatePath(url.split(/[?#]/, 1)[0] ?? "");
}

export type GroupingInput =
  | { kind: "JSError" | "ErrorClick"; message: string | null }
  | { kind: "NetError"; method: string | null; url: string | null; status: number | null }
  | { kind: "Custom"; name: string | null }
  | { kind: string };

export type Grouping = { fingerprint: string; title: string };

function hash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 40);
}

function truncate(value: string): string {
  if (value.length <= MAX_TITLE) return value;
  // Never cut a surrogate pair in half: the title must stay well-formed text.
  const end = /[\uD800-\uDBFF]/.test(value[MAX_TITLE - 2] ?? "") ? MAX_TITLE - 2 : MAX_TITLE - 1;
  return `${value.slice(0, end)}…`;
}

/** The issue an event belongs to: its fingerprint, and a title for a new issue. */
export function groupEvent(input: GroupingInput): Grouping {
  if ((input.kind === "JSError" || input.kind === "ErrorClick") && "message" in input) {
    const message = input.message?.trim() || "";
    return { fingerprint: hash(input.kind, normalizeMessage(message)), title: truncate(message || "(no message)") };
  }
  if (input.kind === "NetError" && "url" in input) {
    const method = (input.method ?? "").toUpperCase();
    const url = templateUrl(input.url ?? "");
    const status = input.status == null ? "" : String(input.status);
    return { fingerprint: hash(input.kind, method, url, status), title: truncate(`${method} ${url} ${status}`.trim()) };
  }
  if (input.kind === "Custom" && "name" in input) {
    const name = input.name?.trim() || "";
    return { fingerprint: hash(input.kind, name), title: truncate(name || "(unnamed custom event)") };
  }
  return { fingerprint: hash(input.kind), title: truncate(input.kind === "RageClick" ? "Rage clicks" : input.kind) };
}

/**
 * The id of a website's issue for a fingerprint: the first 64 bits of a SHA-256, as a signed
 * bigint in decimal. Ingest knows it before the issue row exists (no lookup per batch).
 */
export function issueIdOf(websiteId: string, fingerprint: string): string {
  const digest = createHash("sha256").update(websiteId).update("\0").update(fingerprint).digest();
  return digest.readBigInt64BE(0).toString();
}
