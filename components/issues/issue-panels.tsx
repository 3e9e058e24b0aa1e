import Link from "next/link";
import type { getBreakdown } from "@/lib/queries/get-breakdown";
import type { getIssueUrls } from "@/lib/queries/get-issue-urls";
import { count } from "./status";

type Urls = Awaited<ReturnType<typeof getIssueUrls>>;
type Breakdown = Awaited<ReturnType<typeof getBreakdown>>;

function Bar({ value, max, color }: { value: number; max: number; color: string }) {
  const width = max > 0 ? Math.max((value / max) * 100, value > 0 ? 1 : 0) : 0;
  return (
    <div className="bar-track" aria-hidden="true">
      <div className="bar-fill" style={{ width: `${width}%` }}>
        <span style={{ flexGrow: 1, background: color }} />
      </div>
    </div>
  );
}

/**
 * Where the issue happened: a NetError's request URLs, or page URLs when deliveries carry
 * them. URLs are shown as text (never links: they come from visitors' browsers).
 */
export function IssueUrlsPanel({ urls, kind, color }: { urls: Urls; kind: string; color: string }) {
  const max = Math.max(0, ...urls.rows.map((r) => r.events));
  return (
    <section className="panel breakdown-panel" aria-label="URLs" data-breakdown="url">
      <h3 className="panel-title">
        {kind === "NetError" ? "Request URLs" : "Page URLs"}
        {urls.sampled ? <span className="muted small"> · the latest {count(urls.total)} events</span> : null}
      </h3>
      {urls.rows.length === 0 ? (
        <div className="empty empty-compact">
          <p>{urls.total === 0 ? "No events in this range" : `LiveSession sends no page URL with ${kind} events`}</p>
        </div>
      ) : (
        <ol className="bar-list">
          {urls.rows.map((row) => (
            <li key={row.url} className="bar-row" data-key={row.url}>
              <div className="bar-head">
                <code className="bar-label" title={row.url}>
                  {row.url}
                </code>
                <span className="bar-share muted">
                  {count(row.visitors)} {row.visitors === 1 ? "visitor" : "visitors"}
                </span>
                <span className="bar-count">{count(row.events)}</span>
              </div>
              <Bar value={row.events} max={max} color={color} />
            </li>
          ))}
          {urls.other.events > 0 ? (
            <li className="bar-row bar-row-other">
              <div className="bar-head">
                <span className="bar-label">Other URLs</span>
                <span className="bar-count">{count(urls.other.events)}</span>
              </div>
            </li>
          ) : null}
          {urls.unknown.events > 0 ? (
            <li className="bar-row bar-row-other">
              <div className="bar-head">
                <span className="bar-label">No URL sent</span>
                <span className="bar-count">{count(urls.unknown.events)}</span>
              </div>
            </li>
          ) : null}
        </ol>
      )}
    </section>
  );
}

/** The visitors the issue hit most in the range, each a link to their visitor page. */
export function IssueVisitorsPanel({ breakdown, color, visitorHref }: { breakdown: Breakdown; color: string; visitorHref: (id: string) => string }) {
  const max = Math.max(0, ...breakdown.rows.map((r) => r.events));
  return (
    <section className="panel breakdown-panel" aria-label="Visitors" data-breakdown="visitor">
      <h3 className="panel-title">Visitors</h3>
      {breakdown.rows.length === 0 ? (
        <div className="empty empty-compact">
          <p>No events in this range</p>
        </div>
      ) : (
        <ol className="bar-list">
          {breakdown.rows.map((row) => (
            <li key={row.key} className="bar-row" data-key={row.key}>
              <div className="bar-head">
                <Link href={visitorHref(row.key)} className="bar-label" title={row.label !== row.key ? `${row.label} (${row.key})` : row.key}>
                  {row.label}
                </Link>
                <span className="bar-count">{count(row.events)}</span>
              </div>
              <Bar value={row.events} max={max} color={color} />
            </li>
          ))}
          {breakdown.other.events > 0 ? (
            <li className="bar-row bar-row-other">
              <div className="bar-head">
                <span className="bar-label">Other visitors</span>
                <span className="bar-count">{count(breakdown.other.events)}</span>
              </div>
            </li>
          ) : null}
        </ol>
      )}
    </section>
  );
}
