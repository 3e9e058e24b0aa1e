/**
 * Issues have no stored state yet (issue #6 adds one): the list derives a badge from the
 * range instead. "New" when the issue was first seen inside the range, else "Ongoing".
 */
export type DerivedStatus = "New" | "Ongoing";

export function derivedStatus(firstSeen: string | Date, rangeFrom: Date): DerivedStatus {
  return new Date(firstSeen).getTime() >= rangeFrom.getTime() ? "New" : "Ongoing";
}

/** A CSS-safe kind class ("kind-JSError"; anything unexpected gets the neutral colour). */
export function kindClass(kind: string): string {
  return `kind kind-${/^[A-Za-z]+$/.test(kind) ? kind : "other"}`;
}

export { formatCount as count } from "@/components/format";

/** A share (0-1) as a percentage with one decimal below 10%. */
export function percent(share: number): string {
  if (!Number.isFinite(share)) return "—";
  const p = share * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}
