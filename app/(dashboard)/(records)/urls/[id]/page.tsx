import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { BreakdownTrendChart } from "@/components/charts/breakdown-chart";
import { countryLabel } from "@/components/country";
import { formatCount, formatDateTime } from "@/components/format";
import { NoWebsites } from "@/components/view/no-websites";
import { ViewHeader } from "@/components/view/view-header";
import { firstParam, withParams } from "@/components/urls/page-href";
import { formatRate, formatShare, MethodBadge, statusClass, statusLabel } from "@/components/urls/status-chips";
import { STATUS_COLORS, UrlBars } from "@/components/urls/url-bars";
import { requireUser } from "@/lib/auth/current-user";
import { templateOf } from "@/lib/queries/get-urls";
import { endpointsOf, getUrlDetail, urlQuery } from "@/lib/queries/get-urls-detail";
import { liveFilters, liveView } from "@/lib/view/live";
import { viewHref, type View } from "@/lib/view/view";
import { loadRecordView, Pending } from "../../record-page";

export default async function UrlPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const [{ id }, raw, view] = await Promise.all([params, searchParams, loadRecordView(searchParams)]);
  if (!view.website) return <NoWebsites title="URL" />;
  const template = templateOf(id);
  if (template === null || (await endpointsOf(view.website.id, template)).length === 0) notFound();
  const method = z.string().trim().min(1).max(20).optional().catch(undefined).parse(firstParam(raw.method));

  return (
    <>
      <ViewHeader title="URL" view={view} live={liveView(view, liveFilters(view, { kind: "NetError", prop: undefined, url: template }))}>
        <p className="url-back">
          <Link href={viewHref("/urls", view)}>← All failing URLs</Link>
        </p>
      </ViewHeader>
      <Suspense fallback={<Pending what="the URL" />}>
        <UrlDetails id={id} view={view} method={method} />
      </Suspense>
    </>
  );
}

/** What the URL's page reads for the view: streamed once the URL is known to have failed on the website. */
async function UrlDetails({ id, view, method }: { id: string; view: View; method: string | undefined }) {
  const url = await getUrlDetail(id, urlQuery.parse({ ...view.scope, method }));
  const here = viewHref(`/urls/${id}`, view);
  const selectedMethod = method === undefined ? undefined : method === "-" ? "" : method.toUpperCase();
  const visitorsAllTime = url.visitorsScope === "allTime";
  const colorOf = (status: string) => STATUS_COLORS[url.series.indexOf(status) % STATUS_COLORS.length]!;

  return (
    <>
      <section className="panel url-summary" aria-label="URL">
        <div className="url-heading">
          <code className="url-template wrap-anywhere">{url.template || "(no URL)"}</code>
          <nav className="segmented" aria-label="Method">
            <Link href={here} aria-current={method === undefined ? "true" : undefined}>
              All methods
            </Link>
            {url.allMethods.map((m) => (
              <Link key={m} href={withParams(here, { method: m || "-" })} aria-current={selectedMethod === m ? "true" : undefined}>
                {m || "(none)"}
              </Link>
            ))}
          </nav>
        </div>
        <dl className="url-figures">
          <div data-figure="events">
            <dt>Failures</dt>
            <dd>{formatCount(url.events)}</dd>
          </div>
          <div data-figure="share">
            <dt title="Of every failed request in the range">Share of failures</dt>
            <dd>{formatShare(url.share)}</dd>
          </div>
          <div data-figure="perHour">
            <dt>Per hour</dt>
            <dd>{formatRate(url.perHour)}</dd>
          </div>
          <div data-figure="visitors">
            <dt>{visitorsAllTime ? "Visitors (all time)" : "Visitors"}</dt>
            <dd>{formatCount(url.visitors)}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd className="small">{formatDateTime(url.firstSeen)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd className="small">{formatDateTime(url.lastSeen)}</dd>
          </div>
        </dl>
        <p className="hint">
          We only receive failed requests, so this is {formatShare(url.share)} of the {formatCount(url.totalFailures)} failures {view.rangePhrase}, not a share
          of all requests.
        </p>
      </section>

      <h2 className="section-title">Failures over time, by status</h2>
      <section className="panel url-trend" aria-label="Failures over time">
        {url.events === 0 ? (
          <div className="empty empty-compact">
            <p>No failures to this URL {view.rangePhrase}.</p>
          </div>
        ) : (
          <BreakdownTrendChart
            points={url.points.map((p) => ({ t: p.t, values: url.series.map((s) => p.values[s] ?? 0) }))}
            series={url.series.map((s) => ({ name: s === "none" ? "no status" : s, color: colorOf(s) }))}
            bucketMinutes={url.bucketMinutes}
            timeZone={url.timeZone}
            label={`Failures per ${url.bucketMinutes} minutes, stacked by status`}
          />
        )}
      </section>

      {!url.sample.complete && url.events > 0 && (
        <p className="notice" role="status" data-sample="capped">
          Countries, visitors and requests below are counted from the newest {formatCount(url.sample.events)} of {formatCount(url.events)} failures.
        </p>
      )}
      <div className="breakdown-grid url-grid">
        <UrlBars
          title="Statuses"
          name="status"
          total={url.events}
          rows={url.statuses.map((s) => ({ key: String(s.status ?? ""), label: statusLabel(s.status), events: s.events, color: colorOf(s.status === null ? "none" : String(s.status)) }))}
        />
        <UrlBars title="Methods" name="method" total={url.events} rows={url.methods.map((m) => ({ key: m.method, label: m.method || "(none)", events: m.events }))} />
        <UrlBars
          title="Countries"
          name="country"
          total={url.sample.events}
          rows={url.countries.rows.map((c) => ({ key: c.country, label: countryLabel(c.country), events: c.events }))}
          other={url.countries.other}
        />
      </div>

      <div className="url-two">
        <section aria-label="Visitors hit">
          <h2 className="section-title">Visitors hit</h2>
          <div className="panel">
            {url.visitorsHit.length === 0 ? (
              <div className="empty empty-compact">
                <p>No visitors {view.rangePhrase}.</p>
              </div>
            ) : (
              <table className="url-visitors">
                <thead>
                  <tr>
                    <th>Visitor</th>
                    <th>Country</th>
                    <th className="num">Failures</th>
                    <th>Last failure</th>
                  </tr>
                </thead>
                <tbody>
                  {url.visitorsHit.map((v) => (
                    <tr key={v.visitorId} data-visitor-id={v.visitorId}>
                      <td className="name-cell">
                        <Link href={viewHref(`/visitors/${encodeURIComponent(v.visitorId)}`, view)} className="ellipsis" title={v.visitorId}>
                          {v.label}
                        </Link>
                      </td>
                      <td>{v.country || <span className="muted">—</span>}</td>
                      <td className="num">{formatCount(v.events)}</td>
                      <td className="time nowrap">{formatDateTime(v.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>
        <section aria-label="Endpoints">
          <h2 className="section-title">Issues</h2>
          <div className="panel">
            <table className="url-endpoints">
              <thead>
                <tr>
                  <th>Method</th>
                  <th>Status</th>
                  <th className="num">In range</th>
                  <th className="num">All time</th>
                  <th className="num">Visitors</th>
                </tr>
              </thead>
              <tbody>
                {url.endpoints.map((e) => (
                  <tr key={e.issueId} data-issue-id={e.issueId}>
                    <td>
                      <MethodBadge method={e.method} />
                    </td>
                    <td>
                      <Link href={viewHref(`/issues/${e.issueId}`, view)} className={statusClass(e.status)}>
                        {statusLabel(e.status)}
                      </Link>
                    </td>
                    <td className="num">{formatCount(e.events)}</td>
                    <td className="num">{formatCount(e.totalEvents)}</td>
                    <td className="num">{formatCount(e.visitors)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      <h2 className="section-title">Latest failing requests</h2>
      <section className="panel" aria-label="Latest failing requests">
        {url.latest.length === 0 ? (
          <div className="empty empty-compact">
            <p>No failing requests {view.rangePhrase}.</p>
          </div>
        ) : (
          <table className="url-latest">
            <thead>
              <tr>
                <th>Time</th>
                <th>Request</th>
                <th>Status</th>
                <th>Visitor</th>
              </tr>
            </thead>
            <tbody>
              {url.latest.map((r) => (
                <tr key={r.id} data-event-id={r.id}>
                  <td className="time nowrap">{formatDateTime(r.occurredAt)}</td>
                  <td className="request-cell">
                    <MethodBadge method={r.method} /> <code className="wrap-anywhere">{r.url ?? ""}</code>
                  </td>
                  <td>
                    <span className={statusClass(r.status)}>{statusLabel(r.status)}</span>
                  </td>
                  <td className="name-cell">
                    <Link href={viewHref(`/visitors/${encodeURIComponent(r.visitorId)}`, view)} className="ellipsis" title={r.visitorId}>
                      {r.visitorLabel}
                    </Link>
                    {r.country && <span className="muted small"> · {r.country}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
