"use client";

import { formatDateTime, formatRelative } from "./format";

/**
 * A timestamp: relative ("2 hours ago") with the exact UTC time on hover, or exact by default.
 * Only render it from client-fetched data (the relative form depends on the browser's clock).
 */
export function Time({ value, relative = false, empty = "—" }: { value: string | Date | null | undefined; relative?: boolean; empty?: string }) {
  if (value == null) return <span className="muted">{empty}</span>;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return <span className="muted">{empty}</span>;
  const exact = formatDateTime(date);
  return (
    <time dateTime={date.toISOString()} title={exact} className="nowrap">
      {relative ? formatRelative(date) : exact}
    </time>
  );
}
