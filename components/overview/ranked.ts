// The overview's ranked sections (the breakdowns by country, URL and visitor, and the top
// issues): what the page reads for them, and how the browser reads them again as JSON while
// events flow (see LiveRanked).
import type { getBreakdown } from "@/lib/queries/get-breakdown";
import type { Issue } from "./top-issues";

export const BREAKDOWN_ROWS = 5;
export const TOP_ISSUES = 10;

export type BreakdownData = Awaited<ReturnType<typeof getBreakdown>>;

export type Ranked = {
  byCountry: BreakdownData;
  byUrl: BreakdownData;
  byVisitor: BreakdownData;
  issues: Issue[];
  /** When the issues were read ("last seen" is relative to it), in ms. */
  now: number;
};

export type RankedQuery = {
  /** The view's scope as the JSON API takes it: websiteId, from, to, tz and the filters. */
  scope: Record<string, string>;
  /** A preset range ("last 24 hours") moves with now; a custom one keeps its start. */
  relative: boolean;
  /** Where a custom range ends; null when it reaches now (lib/view/live.ts rangeEnd). */
  until: string | null;
};

/** The query's scope at `now`: a preset keeps its length and ends now, a custom range keeps its bounds (an open end reaches now). */
export function rankedScope(query: RankedQuery, now: number): Record<string, string> {
  const from = Date.parse(query.scope.from!);
  const to = Date.parse(query.scope.to!);
  const at = (ms: number) => new Date(ms).toISOString();
  if (query.relative) return { ...query.scope, from: at(now - (to - from)), to: at(now) };
  return { ...query.scope, to: query.until ?? at(Math.max(to, now)) };
}

async function read<T>(path: string, params: Record<string, string>, timeoutMs: number): Promise<T> {
  const response = await fetch(`${path}?${new URLSearchParams(params)}`, { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The ranked sections from the JSON API, as the page reads them; rejects when any read fails. */
export async function readRanked(query: RankedQuery, now: number, timeoutMs: number): Promise<Ranked> {
  const scope = rankedScope(query, now);
  const breakdown = (by: "country" | "url" | "visitor", series: boolean) =>
    read<BreakdownData>("/api/stats/breakdown", { ...scope, by, limit: String(BREAKDOWN_ROWS), ...(series ? { series: "1" } : {}) }, timeoutMs);
  const [byCountry, byUrl, byVisitor, issues] = await Promise.all([
    breakdown("country", true),
    breakdown("url", true),
    breakdown("visitor", false),
    read<{ issues: Issue[] }>("/api/issues", { ...scope, sort: "events", limit: String(TOP_ISSUES) }, timeoutMs),
  ]);
  return { byCountry, byUrl, byVisitor, issues: issues.issues, now };
}

/** What a breakdown shows: its range's bounds move with every read, its rows and buckets need not. */
const shown = ({ from: _from, to: _to, ...rest }: BreakdownData) => JSON.stringify(rest);

/**
 * `next`, reusing each section of `previous` that shows the same (and `previous` itself when
 * nothing changed), so that a read with unchanged data renders nothing.
 */
export function reuseRanked(previous: Ranked, next: Ranked): Ranked {
  const keep = (a: BreakdownData, b: BreakdownData) => (shown(a) === shown(b) ? a : b);
  const sameIssues = JSON.stringify(previous.issues) === JSON.stringify(next.issues);
  const merged: Ranked = {
    byCountry: keep(previous.byCountry, next.byCountry),
    byUrl: keep(previous.byUrl, next.byUrl),
    byVisitor: keep(previous.byVisitor, next.byVisitor),
    issues: sameIssues ? previous.issues : next.issues,
    now: sameIssues ? previous.now : next.now,
  };
  const unchanged = (Object.keys(merged) as (keyof Ranked)[]).every((key) => merged[key] === previous[key]);
  return unchanged ? previous : merged;
}
