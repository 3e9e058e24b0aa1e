import Link from "next/link";
import type { PropertyError, VisitorEvent } from "@/lib/queries/get-visitor-events";

/** Any JSON value as one line of text (strings as they are). */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? String(value);
}

function kindClass(kind: string) {
  return `kind kind-${/^[A-Za-z]+$/.test(kind) ? kind : "other"}`;
}

function problemText(p: PropertyError): string {
  if (p.problem === "unsuffixed") return "no type suffix (_str, _int, _float or _bool)";
  if (p.problem === "type_mismatch") return `expected ${p.expected ?? "?"}, got ${p.actual ?? "?"}`;
  return p.problem;
}

/** Key/value pairs (properties, or a new kind's fields) as a compact table. */
function Pairs({ values, errors = [], label }: { values: Record<string, unknown>; errors?: PropertyError[]; label: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  const problems = new Map(errors.map((e) => [e.key, e]));
  return (
    <table className="pairs" aria-label={label}>
      <tbody>
        {entries.map(([key, value]) => {
          const problem = problems.get(key);
          return (
            <tr key={key} className={problem ? "pair-problem" : undefined}>
              <th scope="row">
                <code>{key}</code>
              </th>
              <td>
                <code>{valueText(value)}</code>
                {problem ? <span className="error-text"> — {problemText(problem)}</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Details({ event }: { event: VisitorEvent }) {
  switch (event.kind) {
    case "JSError":
      return (
        <>
          <div className="timeline-message">{event.message ?? <span className="muted">(no message)</span>}</div>
          {event.count != null && event.count > 1 ? <div className="muted small">{event.count} times</div> : null}
        </>
      );
    case "ErrorClick":
      return <div className="timeline-message">{event.message ?? <span className="muted">(no message)</span>}</div>;
    case "NetError":
      return (
        <div className="timeline-message">
          {event.method ?? "?"} <code>{event.url ?? "(no URL)"}</code> <strong className="status">{event.status ?? "?"}</strong>
        </div>
      );
    case "RageClick":
      return <div>{event.clicks != null ? `${event.clicks} clicks in a row` : "Rage click"}</div>;
    case "Custom": {
      const unknownKeys = event.propertyErrors.filter((p) => !(event.properties && p.key in event.properties));
      return (
        <>
          <div className="strong">{event.name ?? <span className="muted">(unnamed)</span>}</div>
          <Pairs values={event.properties ?? {}} errors={event.propertyErrors} label="Properties" />
          {event.propertyErrors.length > 0 ? (
            <div className="error-text">
              {event.propertyErrors.length === 1 ? "1 property breaks" : `${event.propertyErrors.length} properties break`} the type
              convention{unknownKeys.length ? `: ${unknownKeys.map((p) => p.key).join(", ")}` : ""}
            </div>
          ) : null}
        </>
      );
    }
    default:
      return <Pairs values={event.fields ?? {}} label="Fields" />;
  }
}

/**
 * A visitor's events, newest first: time, kind, what happened and the issue it belongs to.
 * Everything from the visitor's browser (messages, URLs, properties) is text, never a link.
 */
export function VisitorTimeline({
  events,
  timeZone,
  issueHref,
}: {
  events: VisitorEvent[];
  timeZone: string;
  issueHref: (issueId: string) => string;
}) {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "medium" });
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li key={event.messageId} className="timeline-item" data-message-id={event.messageId} data-kind={event.kind}>
          <div className="timeline-meta">
            <time dateTime={event.occurredAt} className="muted small nowrap">
              {time.format(new Date(event.occurredAt))}
            </time>
            <span className={kindClass(event.kind)}>{event.kind}</span>
          </div>
          <div className="timeline-body">
            <Details event={event} />
            {event.issueTitle ? (
              <div className="small timeline-issue">
                Issue: <Link href={issueHref(event.issueId)}>{event.issueTitle}</Link>
              </div>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
