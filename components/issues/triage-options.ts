import type { IgnoreInput } from "@/lib/issues/states";

/** The form the issues list's row checkboxes belong to (`form="issue-bulk"`). */
export const BULK_FORM = "issue-bulk";

/** The ignore choices the dashboard offers, by value of their <option>. */
export const IGNORE_OPTIONS: { value: string; label: string }[] = [
  { value: "forever", label: "Forever" },
  { value: "1h", label: "For 1 hour" },
  { value: "24h", label: "For 24 hours" },
  { value: "7d", label: "For 7 days" },
  { value: "10e", label: "Until 10 more events" },
  { value: "100e", label: "Until 100 more events" },
  { value: "1000e", label: "Until 1,000 more events" },
];

/** An option's value as the API's `ignore`, with times counted from `now`. */
export function ignoreFor(value: string, now: number): IgnoreInput {
  const match = /^(\d+)([hde])$/.exec(value);
  if (!match) return { kind: "forever" };
  const n = Number(match[1]);
  if (match[2] === "e") return { kind: "events", events: n };
  const hours = match[2] === "d" ? n * 24 : n;
  return { kind: "until", until: new Date(now + hours * 3_600_000).toISOString() };
}
