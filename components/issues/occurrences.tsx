import Link from "next/link";
import type { getIssueEvents } from "@/lib/queries/get-issue-events";
import { count, kindClass } from "./status";

type Occurrence = Awaited<ReturnType<typeof getIssueEvents>>["events"][number];

const isEmpty = (value: unknown) =>
  value == null || (typeof value === "object" && Object.keys(value as object).length === 0);

function Json({ value }: { value: unknown }) {
  return (
    <pre className="json">
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}

/** What happened, by kind: the message, the request, the clicks or the custom event's name. */
function What({ event }: { event: Occurrence }) {
  const rows: [string, React.ReactNode][] = [];
  if (event.message != null) rows.push(["Message", <code key="m" className="wrap-anywhere">{event.message}</code>]);
  if (event.kind === "NetError") {
    rows.push(["Request", <code key="r" className="wrap-anywhere">{[event.method, event.url].filter(Boolean).join(" ") || "—"}</code>]);
    rows.push(["Status", <strong key="s">{event.status ?? "—"}</strong>]);
  } else if (event.url != null) {
    rows.push(["Page URL", <code key="u" className="wrap-anywhere">{event.url}</code>]);
  }
  if (event.count != null && event.count !== 1) rows.push(["Count", count(event.count)]);
  if (event.clicks != null) rows.push(["Clicks", count(event.clicks)]);
  if (event.name != null) rows.push(["Name", <code key="n" className="wrap-anywhere">{event.name}</code>]);
  if (!isEmpty(event.properties)) rows.push(["Properties", <Json key="p" value={event.properties} />]);
  if (!isEmpty(event.propertyErrors)) rows.push(["Property errors", <Json key="pe" value={event.propertyErrors} />]);
  if (!isEmpty(event.extra)) rows.push(["Other fields", <Json key="x" value={event.extra} />]);
  return (
    <dl className="details occurrence-details">
      {rows.map(([label, value]) => (
        <div key={label} className="details-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The issue's latest occurrences, each with everything we know: time, visitor (a link to
 * their page), place, and the event's own fields. All of it was sent by a visitor's browser
 * and is shown as text.
 */
export function Occurrences({ events, timeZone, visitorHref }: { events: Occurrence[]; timeZone: string; visitorHref: (id: string) => string }) {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "medium" });
  return (
    <ol className="occurrences">
      {events.map((event) => {
        const visitorLabel = event.visitor.name || event.visitor.email || event.visitor.id;
        const place = [event.countryCode, event.city].filter(Boolean).join(" · ");
        return (
          <li key={event.messageId} className="occurrence" data-message-id={event.messageId}>
            <div className="occurrence-head">
              <time dateTime={event.occurredAt} className="nowrap strong">
                {time.format(new Date(event.occurredAt))}
              </time>
              <span className={kindClass(event.kind)}>{event.kind}</span>
              <Link href={visitorHref(event.visitor.id)} className="occurrence-visitor" title={event.visitor.id}>
                {visitorLabel}
              </Link>
              {event.visitor.name && event.visitor.email ? <span className="muted ellipsis">{event.visitor.email}</span> : null}
              {place ? <span className="muted">{place}</span> : null}
            </div>
            <What event={event} />
          </li>
        );
      })}
    </ol>
  );
}
