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

/** Filters of /api/events: the stats filters (`kind` a comma list), with `websiteId` optional. */
export const eventFilters = z.object({
  websiteId: z.string().min(1).max(255).optional(),
  kind: z.lazy(() => kindList).optional(),
  visitorId: z.string().min(1).max(255).optional(),
  issueId: z
    .string()
    .refine((id) => /^-?\d{1,19}$/.test(id) && BigInt.asIntN(64, BigInt(id)) === BigInt(id), "Expected an issue id")
    .optional(),
  country: z.string().max(16).optional(),
  url: z.string().min(1).max(2048).optional(),
  prop: z.lazy(() => propertyFilter).optional(),
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

/** `kind=JSError` or `kind=JSError,NetError`: one or more event kinds, comma-separated. */
export const kindList = z
  .string()
  .max(500)
  .transform((value) => [...new Set(value.split(",").map((kind) => kind.trim()).filter(Boolean))])
  .pipe(z.array(z.string().min(1).max(100)).min(1, "Expected at least one kind").max(20));

/** A custom-property filter: the full key with its type suffix, and a value of that type. */
export type PropertyFilter = { name: string; value: string | number | boolean };

const PROPERTY_VALUE: Record<string, (raw: string) => string | number | boolean | undefined> = {
  str: (raw) => raw,
  int: (raw) => (/^-?\d{1,15}$/.test(raw) ? Number(raw) : undefined),
  float: (raw) => (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : undefined),
  bool: (raw) => (raw === "true" ? true : raw === "false" ? false : undefined),
};

/**
 * `prop=plan_str:pro`, `prop=items_int:3`, `prop=price_float:9.5`, `prop=beta_bool:true`: the
 * events whose custom properties hold that key with that value, compared by type (the key's
 * suffix says which; `items_int:3` does not match the string "3"). The value is everything
 * after the first colon, so it may contain colons itself.
 */
export const propertyFilter = z
  .string()
  .max(500)
  .transform((text, ctx): PropertyFilter => {
    const colon = text.indexOf(":");
    const name = colon < 0 ? "" : text.slice(0, colon);
    const type = /_(str|int|float|bool)$/.exec(name)?.[1];
    if (colon < 1 || !type || name.length > 200) {
      ctx.addIssue({ code: "custom", message: "Expected name:value with a typed name (plan_str:pro, items_int:3, price_float:9.5, beta_bool:true)" });
      return z.NEVER;
    }
    const value = PROPERTY_VALUE[type]!(text.slice(colon + 1));
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: `Expected a ${type} value after "${name}:"` });
      return z.NEVER;
    }
    return { name, value };
  });

/**
 * The filters every stats and list endpoint accepts; `from`/`to` come from `dateRange`.
 * Every filter narrows the events counted; they combine with AND.
 */
export const statsFilters = z.object({
  websiteId: z.string().min(1).max(255),
  tz: timeZone,
  /** One or more kinds (`kind=JSError,NetError`); endpoints with a default set of kinds use it when absent. */
  kind: kindList.optional(),
  /** A country code as LiveSession sends it ("PL"); "" (`country=`) means unknown. */
  country: z.string().max(16).optional(),
  issueId: issueIdParam.optional(),
  visitorId: z.string().min(1).max(255).optional(),
  /** A templated URL, matched exactly: `https://shop.example/products/:id`. */
  url: z.string().min(1).max(2048).optional(),
  prop: propertyFilter.optional(),
});
export type StatsFilters = z.infer<typeof statsFilters>;

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
