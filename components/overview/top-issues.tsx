import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { formatCount } from "@/components/format";
import { KindBadge, TimeCell, TrendCell } from "@/components/table-cells";
import type { getIssues } from "@/lib/queries/get-issues";
import { pageHref } from "./links";

export type Issue = Awaited<ReturnType<typeof getIssues>>["issues"][number];

/**
 * The issues with the most events in the range, each linking to its page with the view's query
 * string (`search`). "Last seen" is relative to `now` (the moment the list was read), the
 * sparkline is an inline SVG.
 */
export function TopIssues({ issues, now, search }: { issues: Issue[]; now: number; search: string }) {
  if (issues.length === 0) {
    return (
      <div className="empty empty-compact">
        <p>No errors in this range</p>
      </div>
    );
  }
  return (
    <table className="issues-table">
      <thead>
        <tr>
          <th>Kind</th>
          <th className="issue-title-col">Issue</th>
          <th className="num">Events</th>
          <th className="num">Visitors</th>
          <th>Last seen</th>
          <th>Trend</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue) => (
          <tr key={issue.id} data-issue-id={issue.id}>
            <td>
              <KindBadge kind={issue.kind} />
            </td>
            <td className="issue-title-col">
              <Link href={pageHref(`/issues/${issue.id}`, search)} className="ellipsis issue-title" title={issue.title}>
                {issue.title}
              </Link>
            </td>
            <td className="num" data-label="events">{formatCount(issue.events)}</td>
            <td className="num" data-label="visitors">{formatCount(issue.visitors)}</td>
            <TimeCell at={issue.lastSeen} now={now} />
            <TrendCell values={issue.sparkline} color={kindColor(issue.kind)} label={`${formatCount(issue.events)} events over the range`} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
