import Link from "next/link";
import { kindColor } from "@/components/charts/kind-colors";
import { formatCount } from "@/components/format";
import { TimeCell, TrendCell } from "@/components/table-cells";
import type { getUrls } from "@/lib/queries/get-urls";
import { formatRate, formatShare, MethodBadge, StatusChips } from "./status-chips";

type Url = Awaited<ReturnType<typeof getUrls>>["urls"][number];


/**
 * Failing endpoints: method and URL template (text; the link goes to our own URL page), failures
 * in the range with their share of all failures and their rate per hour, the statuses seen,
 * visitors, last seen and a trend. Rendered on the server ("last seen" is relative to `now`).
 */
export function UrlsTable({
  urls,
  hrefOf,
  statusHref,
  now,
  visitorsAllTime,
}: {
  urls: Url[];
  hrefOf: (url: Url) => string;
  statusHref?: (status: number) => string;
  now: number;
  visitorsAllTime: boolean;
}) {
  return (
    <table className="issues-table urls-table">
      <thead>
        <tr>
          <th className="issue-title-col">Endpoint</th>
          <th className="num">Failures</th>
          <th className="num" title="This endpoint's part of all failed requests in the range">
            Share
          </th>
          <th className="num">Per hour</th>
          <th>Statuses</th>
          <th className="num" title={visitorsAllTime ? "Distinct visitors ever hit by these failures" : "Distinct visitors hit in the range"}>
            {visitorsAllTime ? "Visitors (all time)" : "Visitors"}
          </th>
          <th>Last seen</th>
          <th>Trend</th>
        </tr>
      </thead>
      <tbody>
        {urls.map((url) => (
          <tr key={`${url.method} ${url.template}`} data-url-id={url.id} data-method={url.method}>
            <td className="issue-title-col">
              <div className="endpoint">
                <MethodBadge method={url.method} />
                <Link href={hrefOf(url)} className="ellipsis endpoint-template" title={url.template}>
                  {url.template || "(no URL)"}
                </Link>
              </div>
            </td>
            <td className="num" data-label={url.events === 1 ? "failure" : "failures"} data-figure="events">
              {formatCount(url.events)}
            </td>
            <td className="num share-cell" data-label="of failures" data-figure="share">
              <span className="share-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(url.share * 100, url.share > 0 ? 2 : 0)}%` }} />
              </span>
              {formatShare(url.share)}
            </td>
            <td className="num" data-label="/ hour" data-figure="perHour">
              {formatRate(url.perHour)}
            </td>
            <td className="statuses-cell">
              <StatusChips statuses={url.statuses} hrefOf={statusHref} />
            </td>
            <td className="num" data-label={`${url.visitors === 1 ? "visitor" : "visitors"}${visitorsAllTime ? " (all time)" : ""}`} data-figure="visitors">
              {formatCount(url.visitors)}
            </td>
            <TimeCell at={url.lastSeen} now={now} />
            <TrendCell values={url.sparkline} color={kindColor("NetError")} label={`${formatCount(url.events)} failures over the range`} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
