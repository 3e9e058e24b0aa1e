import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { formatCount } from "@/components/format";
import { KindBadge, TimeCell, TrendCell } from "@/components/table-cells";
import type { getVisitorIssues } from "@/lib/queries/get-visitor-issues";

type Issue = Awaited<ReturnType<typeof getVisitorIssues>>["issues"][number];


/** The issues a visitor hit: their events in the range, the issue's all-time figures, a link to each. */
export function VisitorIssues({ issues, now, issueHref }: { issues: Issue[]; now: number; issueHref: (id: string) => string }) {
  if (issues.length === 0) {
    return (
      <div className="empty empty-compact">
        <p>No issues for this visitor in this range.</p>
      </div>
    );
  }
  return (
    <table className="issues-table visitor-issues">
      <thead>
        <tr>
          <th>Kind</th>
          <th className="issue-title-col">Issue</th>
          <th className="num" title="This visitor's events of the issue in the range">
            Their events
          </th>
          <th className="num" title="The issue's events, all visitors, all time">
            All events
          </th>
          <th className="num" title="Visitors who hit the issue, all time">
            Visitors
          </th>
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
              <Link href={issueHref(issue.id)} className="ellipsis issue-title issue-link" title={issue.title}>
                {issue.title}
              </Link>
            </td>
            <td className="num" data-label="by them" data-figure="events">
              {formatCount(issue.events)}
            </td>
            <td className="num" data-label="in all" data-figure="totalEvents">
              {formatCount(issue.totalEvents)}
            </td>
            <td className="num" data-label="visitors" data-figure="visitors">
              {formatCount(issue.visitors)}
            </td>
            <TimeCell at={issue.lastSeen} now={now} />
            <TrendCell values={issue.sparkline} color={kindColor(issue.kind)} label={`${formatCount(issue.events)} events by this visitor over the range`} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
