import { requireUser } from "@/lib/auth/current-user";
import { getLatestEvents, type LatestEvent } from "@/lib/queries/get-latest-events";

export const dynamic = "force-dynamic";

const LIMIT = 100;

function VisitorCell({ event }: { event: LatestEvent }) {
  return (
    <td>
      <div>{event.visitorName || event.visitorEmail || event.visitorId}</div>
      {event.visitorName && event.visitorEmail ? <div className="muted">{event.visitorEmail}</div> : null}
    </td>
  );
}

function Summary({ event }: { event: LatestEvent }) {
  if (event.kind === "NetError") {
    return (
      <>
        {event.method} {event.summary} {event.status != null ? <strong>{event.status}</strong> : null}
      </>
    );
  }
  return <>{event.summary ?? <span className="muted">—</span>}</>;
}

export default async function LatestEventsPage() {
  // The layout's check does not guard the page: Next.js renders both at once and streams this
  // page's output even when the layout redirects. Every page checks for itself.
  await requireUser();
  const events = await getLatestEvents(LIMIT);
  return (
    <>
      <h1>Latest events</h1>
      <p className="subtitle">The {LIMIT} most recent events received from LiveSession, newest first.</p>
      <div className="panel">
        {events.length === 0 ? (
          <div className="empty">
            <p>No events yet.</p>
            <p>
              Point a LiveSession <code>session.event</code> webhook at <code>/api/webhooks/livesession</code>, or run{" "}
              <code>npm run simulate</code> to see demo data.
            </p>
          </div>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Kind</th>
                <th>Visitor</th>
                <th>Country</th>
                <th>Message or URL</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.messageId} data-message-id={event.messageId}>
                  <td className="time">{event.occurredAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>
                    <span className={`kind kind-${/^[A-Za-z]+$/.test(event.kind) ? event.kind : "other"}`}>{event.kind}</span>
                  </td>
                  <VisitorCell event={event} />
                  <td>{[event.countryCode, event.city].filter(Boolean).join(" · ") || <span className="muted">—</span>}</td>
                  <td className="summary">
                    <Summary event={event} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
