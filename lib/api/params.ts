import { z } from "zod";
import { ApiError } from "./errors";

// Query-string fragments shared by the read API, composed per route.

export const paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

export const dateRange = z
  .object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
  .refine((r) => !r.from || !r.to || new Date(r.from) <= new Date(r.to), { message: "from must not be after to", path: ["from"] });

export const eventFilters = z.object({
  websiteId: z.string().min(1).max(255).optional(),
  kind: z.string().min(1).max(100).optional(),
  visitorId: z.string().min(1).max(255).optional(),
  issueId: z
    .string()
    .refine((id) => /^-?\d{1,19}$/.test(id) && BigInt.asIntN(64, BigInt(id)) === BigInt(id), "Expected an issue id")
    .optional(),
});

/** Parses a URL's query string with a zod schema; the result keeps the schema's type. */
export function parseQuery<S extends z.ZodType>(url: string, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(url).searchParams);
  const result = schema.safeParse(params);
  if (!result.success) throw result.error;
  return result.data;
}

/** Opaque keyset cursors: base64url of a JSON tuple. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.infer<T> {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ApiError("bad_request", "Invalid cursor: pass the nextCursor of a previous page unchanged.");
  }
}

/** An IANA time zone the runtime knows ("Europe/Warsaw"); bound as a value, never pasted into SQL. */
export const timeZoneName = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone");

export const timeZone = timeZoneName.default("UTC");

// Fragments of the dashboard's stats and list APIs (composed in lib/queries/get-*.ts).

/** An issue id: a signed 64-bit integer in decimal. */
export const issueIdParam = z
  .string()
  .refine((id) => /^-?\d{1,19}$/.test(id) && BigInt.asIntN(64, BigInt(id)) === BigInt(id), "Expected an issue id");

/** The filters every stats endpoint accepts; `from`/`to` come from `dateRange`, `tz` from `timeZone`. */
export const statsFilters = z.object({
  websiteId: z.string().min(1).max(255),
  tz: timeZone,
  /** A country code as LiveSession sends it ("PL"); "" (`country=`) means unknown. */
  country: z.string().max(16).optional(),
  issueId: issueIdParam.optional(),
  visitorId: z.string().min(1).max(255).optional(),
});

/** `kind=JSError` or `kind=JSError,NetError`: one or more event kinds, comma-separated. */
export const kindList = z
  .string()
  .max(500)
  .transform((value) => [...new Set(value.split(",").map((kind) => kind.trim()).filter(Boolean))])
  .pipe(z.array(z.string().min(1).max(100)).min(1, "Expected at least one kind").max(20));

/** A free-text search (`q`), matched as a substring, case-insensitively. */
export const search = z.string().trim().max(200).optional();

/** Smaller pages for the dashboard's lists: `limit` 1-100 (default 50) and an opaque `cursor`. */
export const listPaging = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

/** `text` as an ILIKE pattern matching it anywhere, with its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
