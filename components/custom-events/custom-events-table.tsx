import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { formatCount } from "@/components/format";
import { TimeCell, TrendCell } from "@/components/table-cells";
import type { getCustomEvents } from "@/lib/queries/get-custom-events";
import { formatShare } from "@/components/urls/status-chips";

type CustomEvent = Awaited<ReturnType<typeof getCustomEvents>>["events"][number];


/** Custom event names (text) with their counts and trends; a name links to its properties on this page. */
export function CustomEventsTable({
  events,
  hrefOf,
  selected,
  now,
}: {
  events: CustomEvent[];
  hrefOf: (event: CustomEvent) => string;
  selected: string | null;
  now: number;
}) {
  return (
    <table className="issues-table custom-events-table">
      <thead>
        <tr>
          <th className="issue-title-col">Name</th>
          <th className="num">Events</th>
          <th className="num">Share</th>
          <th className="num" title="Distinct visitors who ever sent this event">
            Visitors (all time)
          </th>
          <th>Last seen</th>
          <th>Trend</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.issueId} data-name={event.name} aria-current={event.name === selected ? "true" : undefined} className={event.name === selected ? "selected-row" : undefined}>
            <td className="issue-title-col">
              <Link href={hrefOf(event)} className="ellipsis issue-title custom-event-name" title={event.name || "(unnamed custom event)"}>
                {event.name || <span className="muted">(unnamed)</span>}
              </Link>
            </td>
            <td className="num" data-label={event.events === 1 ? "event" : "events"} data-figure="events">
              {formatCount(event.events)}
            </td>
            <td className="num" data-label="of custom events" data-figure="share">
              {formatShare(event.share)}
            </td>
            <td className="num" data-label={event.visitors === 1 ? "visitor (all time)" : "visitors (all time)"} data-figure="visitors">
              {formatCount(event.visitors)}
            </td>
            <TimeCell at={event.lastSeen} now={now} />
            <TrendCell values={event.sparkline} color={kindColor("Custom")} label={`${formatCount(event.events)} events over the range`} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
