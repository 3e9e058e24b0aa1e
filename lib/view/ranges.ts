/** The preset time ranges of the dashboard, by URL value; `custom` takes `from` and `to`. */
export const RANGES = [
  { id: "1h", label: "Last hour", hours: 1 },
  { id: "24h", label: "24 hours", hours: 24 },
  { id: "7d", label: "7 days", hours: 24 * 7 },
  { id: "30d", label: "30 days", hours: 24 * 30 },
] as const;

export type PresetRangeId = (typeof RANGES)[number]["id"];
export type RangeId = PresetRangeId | "custom";
export const DEFAULT_RANGE: PresetRangeId = "24h";

/** The page URL parameters that make up a view, in the order links spell them. */
export const VIEW_PARAMS = ["website", "range", "from", "to", "tz", "kind", "country", "url", "visitor", "issue", "prop"] as const;
export type ViewParam = (typeof VIEW_PARAMS)[number];

/** The filters of a view: page URL parameter → the API's query parameter. */
export const FILTER_PARAMS = { kind: "kind", country: "country", url: "url", visitor: "visitorId", issue: "issueId", prop: "prop" } as const;
export type FilterParam = keyof typeof FILTER_PARAMS;
