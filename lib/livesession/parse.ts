import type { z } from "zod";
import { ApiError, zodIssues } from "../api/errors";
import { checkProperties, type PropertyProblem } from "./properties";
import {
  customFieldsSchema,
  deliverySchema,
  errorClickFieldsSchema,
  jsErrorFieldsSchema,
  netErrorFieldsSchema,
  rageClickFieldsSchema,
  type Delivery,
} from "./schema";
import { occurrenceSeconds } from "./time";

/** The fields of each kind, as stored. Unknown kinds keep their fields in `raw` only. */
export type EventFields =
  | { kind: "JSError"; message: string | null; count: number | null }
  | { kind: "NetError"; method: string | null; url: string | null; status: number | null }
  | { kind: "ErrorClick"; message: string | null }
  | { kind: "RageClick"; clicks: number | null }
  | { kind: "Custom"; name: string | null; properties: Record<string, unknown>; propertyErrors: PropertyProblem[] }
  | { kind: string };

export type ParsedEvent = {
  messageId: string;
  webhookId: string | null;
  webhookType: string | null;
  apiVersion: string | null;
  accountId: string | null;
  websiteId: string;
  occurredAt: Date;
  createdAt: Date | null;
  timeRaw: number | null;
  visitor: {
    id: string;
    name: string | null;
    email: string | null;
    params: unknown[];
    countryCode: string | null;
    city: string | null;
    region: string | null;
  };
  fields: EventFields;
  /** The delivery exactly as received. */
  raw: string;
};

const MAX_DEPTH = 32;
const LATEST_SECONDS = 253_402_300_799; // 9999-12-31, the last instant PostgreSQL and Date agree on

/**
 * PostgreSQL text cannot hold NUL, and lone surrogates would not read back unchanged, so a
 * delivery with either is refused rather than silently altered. So is a number too large for
 * a double (JSON.parse reads 1e309 as Infinity, which would be stored as null). Nesting is
 * bounded too.
 */
function findUnstorable(value: unknown, path: string, depth: number): string | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return `${path || "(root)"}: contains a NUL character`;
    if (!value.isWellFormed()) return `${path || "(root)"}: contains an unpaired UTF-16 surrogate`;
    return null;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return `${path || "(root)"}: number out of range`;
  if (value === null || typeof value !== "object") return null;
  if (depth > MAX_DEPTH) return `${path || "(root)"}: nested deeper than ${MAX_DEPTH} levels`;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const problem = findUnstorable(key, childPath, depth + 1) ?? findUnstorable(child, childPath, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function parseFields<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw invalid(result.error, "payload");
  return result.data;
}

function invalid(error: z.core.$ZodError, within?: string): ApiError {
  const issues = zodIssues(error).map((issue) => ({
    ...issue,
    path: [within, issue.path].filter(Boolean).join(".") || "(root)",
  }));
  const first = issues[0];
  return new ApiError("invalid_payload", `Invalid delivery: ${first ? `${first.path}: ${first.message}` : "invalid"}`, issues);
}

function kindFields(payload: Delivery["payload"]): EventFields {
  const kind = payload.event_name;
  switch (kind) {
    case "JSError": {
      const f = parseFields(jsErrorFieldsSchema, payload);
      return { kind, message: f.value ?? null, count: f.count ?? null };
    }
    case "NetError": {
      const f = parseFields(netErrorFieldsSchema, payload);
      return { kind, method: f.method ?? null, url: f.url ?? null, status: f.status ?? null };
    }
    case "ErrorClick": {
      const f = parseFields(errorClickFieldsSchema, payload);
      return { kind, message: f.message ?? f.messsage ?? null };
    }
    case "RageClick": {
      const f = parseFields(rageClickFieldsSchema, payload);
      return { kind, clicks: f.clicks ?? null };
    }
    case "Custom": {
      const f = parseFields(customFieldsSchema, payload);
      const properties = f.properties ?? {};
      return { kind, name: f.name ?? null, properties, propertyErrors: checkProperties(properties) };
    }
    default:
      return { kind };
  }
}

function seconds(value: number | null | undefined, name: string): number | null {
  if (value == null) return null;
  if (value < 0 || value > LATEST_SECONDS) {
    throw new ApiError("invalid_payload", `Invalid delivery: ${name}: must be a Unix time in seconds`, [
      { path: name, message: "out of range" },
    ]);
  }
  return value;
}

// A JSON string (skipped whole, so digits inside it are not numbers) or a JSON number.
const STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.(\d+))?(?:[eE]([+-]?\d+))?/g;
/** More decimals than any double needs (5e-324 has 324); PostgreSQL's numeric stops at 16383. */
const MAX_DECIMALS = 400;

/**
 * A number of valid JSON text with more decimals than MAX_DECIMALS once its exponent is
 * applied (`1e-20000`, `0.000…`): JSON.parse reads it as 0 or nearly, but the raw delivery's
 * jsonb would hold every digit, or fail to. Null when there is none.
 */
function findOverlongNumber(json: string): string | null {
  // Such a number has an exponent of three digits or more, or over 300 digits after its point
  // (two quick searches: one regex with both alternatives is several times slower).
  if (!/[eE][+-]?\d{3}/.test(json) && !/\.\d{302}/.test(json)) return null;
  for (const [token, decimals, exponent] of json.matchAll(STRING_OR_NUMBER)) {
    if (token.startsWith('"')) continue;
    if ((decimals?.length ?? 0) - Number(exponent ?? 0) > MAX_DECIMALS || Math.abs(Number(exponent ?? 0)) > MAX_DECIMALS) {
      return token.length > 40 ? `${token.slice(0, 40)}…` : token;
    }
  }
  return null;
}

/** JSON.parse, failing with a 400 ApiError. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ApiError("invalid_json", `Malformed JSON: ${(error as Error).message}`);
  }
}

/**
 * Parses a raw `session.event` delivery (`json` is its JSON.parse when the caller has it);
 * throws ApiError (400) when it cannot be stored as an event.
 */
export function parseDelivery(raw: string, receivedAt: Date, json: unknown = parseJson(raw)): ParsedEvent {
  const overlong = findOverlongNumber(raw);
  const unstorable = findUnstorable(json, "", 0) ?? (overlong && `(root): number ${overlong} has more than ${MAX_DECIMALS} decimals`);
  if (unstorable) {
    throw new ApiError("invalid_payload", `Invalid delivery: ${unstorable}`, [{ path: unstorable.split(":")[0], message: unstorable }]);
  }
  const result = deliverySchema.safeParse(json);
  if (!result.success) throw invalid(result.error);
  const delivery = result.data;
  const { payload } = delivery;
  const createdAt = seconds(delivery.created_at, "created_at");
  const occurred = occurrenceSeconds(payload.time, createdAt ?? receivedAt.getTime() / 1000);
  const geo = payload.visitor.geolocation;

  return {
    messageId: delivery.message_id,
    webhookId: delivery.webhook_id ?? null,
    webhookType: delivery.webhook_type ?? null,
    apiVersion: delivery.api_version ?? null,
    accountId: delivery.account_id || null,
    websiteId: delivery.website_id,
    occurredAt: new Date(Math.round(occurred * 1000)),
    createdAt: createdAt == null ? null : new Date(Math.round(createdAt * 1000)),
    timeRaw: payload.time ?? null,
    visitor: {
      id: payload.visitor.id,
      name: payload.visitor.name ?? null,
      email: payload.visitor.email ?? null,
      params: payload.visitor.params ?? [],
      countryCode: geo?.country_code?.toUpperCase() || null,
      city: geo?.city || null,
      region: geo?.region || null,
    },
    fields: kindFields(payload),
    raw,
  };
}
