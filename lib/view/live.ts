// What a live page tells its socket: the website, the filters its figures are read with (as
// the JSON API and the socket spell them), where its catch-up starts, and its time range.
import { snapshotStart } from "../realtime/snapshot";
import type { View } from "./view";

export type LiveView = {
  websiteId: string;
  filters: Record<string, string>;
  /** Events received since (a little before the page's queries began) are caught up on. */
  since: string;
  /** The range the page counts: events outside it change nothing on the page. */
  from: string;
  /** Where the range ends; null when it reaches now and moves with it. */
  until: string | null;
};

/** The view's filters without its website and range, changed by `changes` (undefined drops one). */
export function liveFilters(view: Pick<View, "scope">, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const { websiteId: _website, from: _from, to: _to, tz: _tz, ...filters } = view.scope;
  const merged: Record<string, string | undefined> = { ...filters, ...changes };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A custom range that ended does not grow; a preset, or a custom range up to now, does. */
export function rangeEnd(view: Pick<View, "rangeId" | "to">, now = Date.now()): string | null {
  return view.rangeId === "custom" && view.to.getTime() < now - 60_000 ? view.to.toISOString() : null;
}

/** The live view of a page whose figures are read with `filters` (default: the view's own). */
export function liveView(view: View, filters: Record<string, string> = liveFilters(view)): LiveView | null {
  if (!view.website) return null;
  return {
    websiteId: view.website.id,
    filters,
    since: snapshotStart(view.readAt).toISOString(),
    from: view.from.toISOString(),
    until: rangeEnd(view),
  };
}
