import Link from "next/link";
import { formatCount, formatDateTime, formatRelative } from "@/components/format";
import type { getVisitors } from "@/lib/queries/get-visitors";
import { countryName } from "@/components/country";

type Visitor = Awaited<ReturnType<typeof getVisitors>>["visitors"][number];


export const FRUSTRATION_NOTE = "Frustration = errors × 1 + rage clicks × 3 (JS errors, network errors and error clicks count as errors).";

/**
 * The visitors list. Names and emails come from the visitor's browser: text only, and the
 * only link is to our own visitor page.
 */
export function VisitorsTable({
  visitors,
  now,
  visitorHref,
}: {
  visitors: Visitor[];
  now: number;
  visitorHref: (id: string) => string;
}) {
  return (
    <table className="visitors-table">
      <thead>
        <tr>
          <th>Visitor</th>
          <th>Country</th>
          <th>Last seen</th>
          <th className="num">Errors</th>
          <th className="num">Rage clicks</th>
          <th className="num">
            <abbr title={FRUSTRATION_NOTE}>Frustration</abbr>
          </th>
        </tr>
      </thead>
      <tbody>
        {visitors.map((v) => (
          <tr key={v.id} data-visitor-id={v.id}>
            <td className="visitor-cell">
              <Link href={visitorHref(v.id)} className="visitor-name">
                {v.name || v.email || v.id}
              </Link>
              {v.name && v.email ? <div className="muted small ellipsis visitor-email">{v.email}</div> : null}
            </td>
            <td className="country-cell">
              {v.countryCode ? (
                <span title={v.countryCode}>{countryName(v.countryCode) ?? v.countryCode}</span>
              ) : (
                <span className="muted">—</span>
              )}
              {v.city ? <div className="muted small">{v.city}</div> : null}
            </td>
            <td className="time">
              <time dateTime={v.lastSeen} title={formatDateTime(v.lastSeen)}>
                {formatRelative(v.lastSeen, now)}
              </time>
            </td>
            <td className="num" data-figure="errors" data-label="errors">
              {formatCount(v.errors)}
            </td>
            <td className="num" data-figure="rageClicks" data-label="rage clicks">
              {formatCount(v.rageClicks)}
            </td>
            <td className="num" data-figure="frustration" data-label="frustration">
              <span className="frustration">{formatCount(v.frustration)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
