/** The preset time ranges of the dashboard, by URL value. */
export const RANGES = [
  { id: "1h", label: "Last hour", hours: 1 },
  { id: "24h", label: "24 hours", hours: 24 },
  { id: "7d", label: "7 days", hours: 24 * 7 },
  { id: "30d", label: "30 days", hours: 24 * 30 },
] as const;

export type RangeId = (typeof RANGES)[number]["id"];
export const RANGE_IDS = RANGES.map((r) => r.id) as [RangeId, ...RangeId[]];
