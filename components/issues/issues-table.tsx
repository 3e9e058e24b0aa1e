import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { IssueMeta, TimeCell, TrendCell } from "@/components/table-cells";
import type { getIssues, IssueSort } from "@/lib/queries/get-issues";
import { count, derivedStatus } from "./status";
import { StatusBadge } from "./status-badge";
import { BULK_FORM } from "./triage-options";

type Issue = Awaited<ReturnType<typeof getIssues>>["issues"][number];

const SORTABLE: { sort: IssueSort; label: string }[] = [
  { sort: "events", label: "Events" },
  { sort: "visitors", label: "Visitors" },
  { sort: "firstSeen", label: "First seen" },
  { sort: "lastSeen", label: "Last seen" },
];

function SortHeader({ sort, label, current, href, className }: { sort: IssueSort; label: string; current: IssueSort; href: string; className?: string }) {
  const active = sort === current;
  return (
    <th className={className} aria-sort={active ? "descending" : undefined}>
      <Link href={href} className={active ? "sort-link sort-active" : "sort-link"} data-sort={sort}>
        {label}
        {active ? <span aria-hidden="true"> ↓</span> : null}
      </Link>
    </th>
  );
}

/**
 * The issues list: a checkbox per row for bulk actions (when `selectable`), the stored state
 * (with "New" when first seen in the range), assignee, kind, title (a link to the issue page), events in the range,
 * all-time events and visitors, first and last seen, and the range's sparkline. Column headers
 * sort (every sort is descending). Titles come from visitors' browsers and are shown as text.
 */
export function IssuesTable({
  issues,
  rangeFrom,
  now,
  timeZone,
  sort,
  sortHref,
  issueHref,
  selectable,
}: {
  issues: Issue[];
  rangeFrom: Date;
  now: number;
  timeZone: string;
  sort: IssueSort;
  sortHref: (sort: IssueSort) => string;
  issueHref: (id: string) => string;
  selectable: boolean;
}) {
  const exact = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  const header = (s: IssueSort, className?: string) => {
    const column = SORTABLE.find((c) => c.sort === s)!;
    return <SortHeader sort={s} label={column.label} current={sort} href={sortHref(s)} className={className} />;
  };
  return (
    <table className="issue-list">
      <thead>
        <tr>
          {selectable ? (
            <th className="select-col">
              <span className="sr-only">Select</span>
            </th>
          ) : null}
          <th className="issue-title-col">Issue</th>
          {header("events", "num")}
          <th className="num">Total</th>
          {header("visitors", "num")}
          {header("firstSeen")}
          {header("lastSeen")}
          <th>Trend</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue) => {
          const status = derivedStatus(issue.firstSeen, rangeFrom);
          return (
            <tr key={issue.id} data-issue-id={issue.id}>
              {selectable ? (
                <td className="select-col">
                  <input type="checkbox" name="issue" value={issue.id} form={BULK_FORM} aria-label={`Select ${issue.title}`} />
                </td>
              ) : null}
              <td className="issue-title-col">
                <div className="issue-state">
                  <StatusBadge status={issue.status} />
                  <IssueMeta kind={issue.kind} status={status} />
                  {issue.assignee ? <span className="muted small assignee">→ {issue.assignee.name}</span> : null}
                </div>
                <Link href={issueHref(issue.id)} className="issue-link ellipsis" title={issue.title}>
                  {issue.title}
                </Link>
              </td>
              <td className="num strong" data-label="in range" data-figure="events">
                {count(issue.events)}
              </td>
              <td className="num" data-label="total" data-figure="totalEvents">
                {count(issue.totalEvents)}
              </td>
              <td className="num" data-label="visitors" data-figure="visitors">
                {count(issue.visitors)}
              </td>
              <TimeCell at={issue.firstSeen} now={now} title={exact.format(new Date(issue.firstSeen))} label="first seen" />
              <TimeCell at={issue.lastSeen} now={now} title={exact.format(new Date(issue.lastSeen))} label="last seen" />
              <TrendCell values={issue.sparkline} color={kindColor(issue.kind)} label={`${count(issue.events)} events over the range`} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
