import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { formatCount } from "@/components/format";
import { KindBadge, TimeCell, TrendCell } from "@/components/table-cells";
import type { getIssues } from "@/lib/queries/get-issues";

type Issue = Awaited<ReturnType<typeof getIssues>>["issues"][number];


/**
 * The issues with the most events in the range. Rendered on the server: "last seen" is
 * relative to `now` (the moment the page was rendered), the sparkline is an inline SVG.
 */
export function TopIssues({ issues, now, hrefOf }: { issues: Issue[]; now: number; hrefOf: (id: string) => string }) {
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
              <Link href={hrefOf(issue.id)} className="ellipsis issue-title" title={issue.title}>
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
