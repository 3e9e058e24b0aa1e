// The filters a live subscription may set, as the JSON API spells them (lib/api/params.ts
// `statsFilters`), and the same matching rules as the stats queries (lib/queries/filters.ts):
// kinds (any of), country ("" = unknown), issueId, visitorId, url (the URL template, exactly)
// and prop (a typed custom property: `plan_str:pro`, `items_int:3`, `beta_bool:true`).
import { z } from "zod";

const PROPERTY_VALUE: Record<string, (raw: string) => string | number | boolean | undefined> = {
  str: (raw) => raw,
  int: (raw) => (/^-?\d{1,15}$/.test(raw) ? Number(raw) : undefined),
  float: (raw) => (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : undefined),
  bool: (raw) => (raw === "true" ? true : raw === "false" ? false : undefined),
};

export type PropertyFilter = { name: string; value: string | number | boolean };

const propertyFilter = z
  .string()
  .max(500)
  .transform((text, ctx): PropertyFilter => {
    const colon = text.indexOf(":");
    const name = colon < 0 ? "" : text.slice(0, colon);
    const type = /_(str|int|float|bool)$/.exec(name)?.[1];
    const value = type && colon > 0 && name.length <= 200 ? PROPERTY_VALUE[type]!(text.slice(colon + 1)) : undefined;
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: "Expected name:value with a typed name (plan_str:pro, items_int:3, price_float:9.5, beta_bool:true)" });
      return z.NEVER;
    }
    return { name, value };
  });

const kinds = z
  .union([z.string().max(500).transform((v) => v.split(",")), z.array(z.string()).max(20)])
  .transform((list) => [...new Set(list.map((k) => k.trim()).filter(Boolean))])
  .pipe(z.array(z.string().min(1).max(100)).min(1, "Expected at least one kind").max(20));

export const liveFiltersSchema = z
  .object({
    kind: kinds.optional(),
    country: z.string().max(16).optional(),
    issueId: z
      .string()
      .refine((id) => /^-?\d{1,19}$/.test(id) && BigInt.asIntN(64, BigInt(id)) === BigInt(id), "Expected an issue id")
      .optional(),
    visitorId: z.string().min(1).max(255).optional(),
    url: z.string().min(1).max(2048).optional(),
    prop: propertyFilter.optional(),
  })
  .strict();

export type LiveFilters = z.infer<typeof liveFiltersSchema>;

export const subscribeSchema = z
  .object({
    websiteId: z.string().min(1).max(255),
    filters: liveFiltersSchema.default({}),
    /** The time of the page's data: events received since are sent first (a catch-up). */
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type Subscription = z.infer<typeof subscribeSchema>;

/** What the server knows of a stored event to filter on (more than it sends). */
export type Filterable = {
  kind: string;
  countryCode: string | null;
  issueId: string;
  visitorId: string;
  urlTemplate: string | null;
  properties: Record<string, unknown> | null;
};

export function matchesFilters(event: Filterable, f: LiveFilters): boolean {
  if (f.kind && !f.kind.includes(event.kind)) return false;
  if (f.country !== undefined && (event.countryCode ?? "") !== f.country) return false;
  if (f.issueId !== undefined && event.issueId !== f.issueId) return false;
  if (f.visitorId !== undefined && event.visitorId !== f.visitorId) return false;
  if (f.url !== undefined && event.urlTemplate !== f.url) return false;
  if (f.prop !== undefined) {
    const value = event.properties?.[f.prop.name];
    // Same as jsonb containment: 3 matches 3 and 3.0, never "3".
    if (value !== f.prop.value) return false;
  }
  return true;
}
