// The view of a dashboard page (website, time range, time zone and filters), read from the
// page's URL so that a link shows the same view. Anything unreadable falls back to a default
// and is reported in `notice` rather than failing the page.
import { z } from "zod";
import { issueIdParam, kindList, timeZoneName } from "../api/params";
import { db } from "../db/client";
import { zoneOffsetMinutes } from "../queries/buckets";
import { DAY, MAX_RANGE_DAYS } from "../queries/range";
import { listWebsites } from "../websites/websites";
import { DEFAULT_RANGE, FILTER_PARAMS, RANGES, VIEW_PARAMS, type FilterParam, type RangeId, type ViewParam } from "./ranges";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const viewParams = z.object({
  website: optional(z.string().max(255)),
  range: z.enum(["1h", "24h", "7d", "30d", "custom"]).catch(DEFAULT_RANGE),
  from: optional(z.string().max(40)),
  to: optional(z.string().max(40)),
  tz: optional(timeZoneName),
  kind: optional(kindList),
  country: optional(z.string().max(16)),
  url: optional(z.string().min(1).max(2000)),
  visitor: optional(z.string().min(1).max(255)),
  issue: optional(issueIdParam),
  prop: optional(z.string().regex(/^[^:]{1,200}:[\s\S]{0,500}$/)),
});

export type ViewFilters = {
  kind?: string[];
  country?: string;
  url?: string;
  visitorId?: string;
  issueId?: string;
  prop?: string;
};

export type View = {
  websites: { id: string; label: string }[];
  website: { id: string; label: string } | null;
  rangeId: RangeId;
  rangeLabel: string;
  /** The range in a sentence: "in the last 24 hours", "from Nov 1, 08:00 to Nov 3, 10:00". */
  rangePhrase: string;
  from: Date;
  to: Date;
  /** The time zone of the view ("UTC" until the browser's zone is known). */
  tz: string;
  /** Whether the URL names the time zone (the page puts the browser's zone there when not). */
  tzInUrl: boolean;
  filters: ViewFilters;
  /** Names to show for the visitor and issue filters. */
  labels: { visitor?: string; issue?: string };
  /** websiteId, from, to, tz and the filters, spelled as the JSON API takes them. */
  scope: Record<string, string>;
  /** The view's page URL parameters (empty values left out). */
  params: Partial<Record<ViewParam, string>>;
  /** Why part of the URL was ignored, for the page to say so. */
  notice: string | null;
  /** When the view was read, before the page's queries (where a live page's catch-up starts). */
  readAt: Date;
};

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/**
 * An instant from a custom range bound: a wall-clock date or date-time in `timeZone`
 * ("2026-11-01" or "2026-11-01T08:30", as date inputs send them) or an ISO time with an offset.
 */
export function parseBound(value: string, timeZone: string): Date | null {
  const local = LOCAL.exec(value);
  if (local) {
    const [, y, mo, d, h = "0", mi = "0"] = local;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
    // Date.UTC rolls "2026-13-45" over into a later date; a real date reads back the same.
    const back = new Date(wall);
    if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi)) {
      return null;
    }
    // The offset at the wall time itself, found by correcting a first guess once.
    let at = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
    at = wall - zoneOffsetMinutes(new Date(at), timeZone) * 60_000;
    return new Date(at);
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

function customRange(from: string | undefined, to: string | undefined, timeZone: string, now: Date): { from: Date; to: Date } | { error: string } {
  if (!from) return { error: "A custom range needs a start." };
  const start = parseBound(from, timeZone);
  // A date alone as the end means the whole of that day.
  const end = to ? parseBound(to, timeZone) : now;
  if (!start || !end) return { error: "The custom range has a date that cannot be read." };
  const until = to && /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(end.getTime() + DAY) : end;
  if (until <= start) return { error: "The custom range ends before it starts." };
  if (until.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY) return { error: `Custom ranges are limited to ${MAX_RANGE_DAYS} days.` };
  return { from: start, to: until };
}

const dateTimeFormat = (timeZone: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

async function filterLabels(websiteId: string, filters: ViewFilters): Promise<View["labels"]> {
  const [visitor, issue] = await Promise.all([
    filters.visitorId
      ? db().$queryRaw<{ label: string }[]>`
          SELECT coalesce(nullif(name, ''), nullif(email, ''), id) AS label FROM visitors
          WHERE website_id = ${websiteId} AND id = ${filters.visitorId}`
      : [],
    filters.issueId
      ? db().$queryRaw<{ label: string }[]>`
          SELECT title AS label FROM issues WHERE website_id = ${websiteId} AND id = ${filters.issueId}::bigint`
      : [],
  ]);
  return { visitor: visitor[0]?.label, issue: issue[0]?.label };
}

/** Reads the view from a page's search parameters (see the module comment). */
export async function loadView(searchParams: SearchParams, now = new Date()): Promise<View> {
  const raw = await searchParams;
  const p = viewParams.parse(Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value])));
  const tz = p.tz ?? "UTC";
  const websites = (await listWebsites()).map((w) => ({ id: w.id, label: w.name ?? w.id }));
  const website = websites.find((w) => w.id === p.website) ?? websites[0] ?? null;

  let notice: string | null = null;
  let rangeId: RangeId = p.range;
  let from: Date;
  let to: Date;
  let rangeLabel: string;
  let rangePhrase: string;
  const custom = rangeId === "custom" ? customRange(p.from, p.to, tz, now) : null;
  if (custom && "from" in custom) {
    ({ from, to } = custom);
    const format = dateTimeFormat(tz);
    rangeLabel = `${format.format(from)} – ${format.format(to)}`;
    rangePhrase = `from ${format.format(from)} to ${format.format(to)}`;
  } else {
    if (custom) {
      notice = `${custom.error} Showing the last ${RANGES.find((r) => r.id === DEFAULT_RANGE)!.label}.`;
      rangeId = DEFAULT_RANGE;
    }
    const preset = RANGES.find((r) => r.id === rangeId)!;
    to = now;
    from = new Date(now.getTime() - preset.hours * 3_600_000);
    rangeLabel = preset.label;
    rangePhrase = `in the last ${preset.label.toLowerCase().replace(/^last /, "")}`;
  }

  const filters: ViewFilters = {
    kind: p.kind,
    country: p.country,
    url: p.url,
    visitorId: p.visitor,
    issueId: p.issue,
    prop: p.prop,
  };
  const scope: Record<string, string> = website ? { websiteId: website.id, from: from.toISOString(), to: to.toISOString(), tz } : {};
  for (const [param, apiParam] of Object.entries(FILTER_PARAMS) as [FilterParam, string][]) {
    const value = param === "kind" ? p.kind?.join(",") : p[param];
    if (value !== undefined) scope[apiParam] = value;
  }

  const params: View["params"] = {};
  const values: Partial<Record<ViewParam, string>> = {
    ...p,
    website: p.website && website?.id === p.website ? p.website : undefined,
    range: raw.range !== undefined || rangeId !== DEFAULT_RANGE ? rangeId : undefined,
    from: rangeId === "custom" ? p.from : undefined,
    to: rangeId === "custom" ? p.to : undefined,
    kind: p.kind?.join(","),
  };
  for (const name of VIEW_PARAMS) if (values[name] !== undefined) params[name] = values[name];

  return {
    websites,
    website,
    rangeId,
    rangeLabel,
    rangePhrase,
    from,
    to,
    tz,
    tzInUrl: p.tz !== undefined,
    filters,
    labels: website ? await filterLabels(website.id, filters) : {},
    scope,
    params,
    notice,
    readAt: now,
  };
}

/**
 * A link to `path` with the view's parameters, changed by `changes` (null removes one, e.g.
 * the filters that belong to one website when switching to another).
 */
export function viewHref(path: string, view: Pick<View, "params">, changes: Record<string, string | null> = {}): string {
  const search = new URLSearchParams(view.params as Record<string, string>);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) search.delete(key);
    else search.set(key, value);
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** API query parameters for the view plus `extra`, as a query string. */
export function apiQuery(view: Pick<View, "scope">, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...view.scope, ...extra }).toString();
}
