import type { LatestEvent } from "@/lib/queries/get-latest-events";

/** A row of the table: a stored event, or a live one (its time as an ISO string). */
export type FeedEvent = Omit<LatestEvent, "websiteId" | "occurredAt"> & { occurredAt: Date | string };

function Summary({ event }: { event: FeedEvent }) {
  if (event.kind === "NetError") {
    return (
      <>
        {event.method} {event.summary} {event.status != null ? <strong>{event.status}</strong> : null}
      </>
    );
  }
  return <>{event.summary ?? <span className="muted">—</span>}</>;
}

/** Events as a table; every string from a visitor's browser is rendered as text. */
export function LatestEventsTable({ events, timeZone }: { events: FeedEvent[]; timeZone: string }) {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return (
    <table>
      <thead>
        <tr>
          <th>Time</th>
          <th>Kind</th>
          <th>Visitor</th>
          <th>Country</th>
          <th>Message or URL</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.messageId} data-message-id={event.messageId}>
            <td className="time">{time.format(new Date(event.occurredAt))}</td>
            <td>
              <span className={`kind kind-${/^[A-Za-z]+$/.test(event.kind) ? event.kind : "other"}`}>{event.kind}</span>
            </td>
            <td>
              <div>{event.visitorName || event.visitorEmail || event.visitorId}</div>
              {event.visitorName && event.visitorEmail ? <div className="muted">{event.visitorEmail}</div> : null}
            </td>
            <td>{[event.countryCode, event.city].filter(Boolean).join(" · ") || <span className="muted">—</span>}</td>
            <td className="summary">
              <Summary event={event} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
