import { KIND_COLORS } from "@/components/charts/kind-colors";
import { LiveBadge, LiveEventCount, LiveFeed, LiveFeedControls, LiveOverview, LiveTotals, LiveTrend } from "@/components/live/live-overview";
import { LiveRanked } from "@/components/overview/live-ranked";
import { BREAKDOWN_ROWS, TOP_ISSUES } from "@/components/overview/ranked";
import { NoWebsites } from "@/components/view/no-websites";
import { ViewHeader } from "@/components/view/view-header";
import { requireUser } from "@/lib/auth/current-user";
import { breakdownQuery, DEFAULT_BREAKDOWN_KINDS, getBreakdown } from "@/lib/queries/get-breakdown";
import { getIssues, issuesQuery } from "@/lib/queries/get-issues";
import { getLatestEvents } from "@/lib/queries/get-latest-events";
import { getTimeseries, timeseriesQuery } from "@/lib/queries/get-timeseries";
import { getTotals, totalsQuery } from "@/lib/queries/get-totals";
import { liveFiltersSchema } from "@/lib/realtime/filters";
import { liveSnapshot, snapshotStart } from "@/lib/realtime/snapshot";
import { liveFilters, rangeEnd } from "@/lib/view/live";
import { loadView, type SearchParams } from "@/lib/view/view";

const LATEST = 50;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  // The layout's check does not guard the page: Next.js renders both at once and streams this
  // page's output even when the layout redirects. Every page checks for itself.
  await requireUser();
  const view = await loadView(searchParams);
  const { website, tz } = view;
  if (!website) return <NoWebsites title="Overview" />;

  // Every query parses its own schema, so its defaults apply (kinds, tz, series...).
  const scope = view.scope;
  const filters = liveFilters(view);
  const parsedFilters = liveFiltersSchema.safeParse(filters);
  const breakdown = (by: "country" | "url" | "visitor", series: boolean) =>
    getBreakdown(breakdownQuery.parse({ ...scope, by, limit: String(BREAKDOWN_ROWS), series: series ? "1" : "0" }));
  const since = snapshotStart(view.readAt);
  const [trend, latest, totals, byCountry, byUrl, byVisitor, issues] = await Promise.all([
    getTimeseries(timeseriesQuery.parse(scope)),
    getLatestEvents(LATEST, website.id, parsedFilters.success ? parsedFilters.data : {}),
    getTotals(totalsQuery.parse(scope)),
    breakdown("country", true),
    breakdown("url", true),
    breakdown("visitor", false),
    getIssues(issuesQuery.parse({ ...scope, sort: "events", limit: String(TOP_ISSUES) })),
  ]);
  // After the queries: lists the recent events they may have counted (see LiveOverview).
  const snapshot = await liveSnapshot(website.id, since);
  const until = rangeEnd(view);

  return (
    <LiveOverview
      websiteId={website.id}
      filters={filters}
      timeZone={tz}
      periodLabel={view.rangeId === "custom" ? "range" : view.rangeLabel.toLowerCase().replace(/^last /, "")}
      feedLimit={LATEST}
      data={{
        totals,
        trend: { points: trend.points, series: trend.series, bucketMinutes: trend.bucketMinutes },
        feed: latest.map(({ websiteId: _w, ...event }) => event),
        from: totals.from,
        until,
        snapshot,
      }}
    >
      <ViewHeader title="Overview" view={view}>
        <p className="subtitle">
          <LiveEventCount /> {view.rangePhrase}, per{" "}
          {trend.bucketMinutes >= 60 ? `${trend.bucketMinutes / 60} h` : `${trend.bucketMinutes} min`} · times in {tz} · <LiveBadge />
        </p>
      </ViewHeader>
      <LiveTotals />
      <section className="panel chart-panel" aria-label="Events over time">
        <LiveTrend />
      </section>
      <div className="section-head-row">
        <h2 className="section-title">Errors and rage clicks</h2>
        <ul className="kind-legend" aria-label="Bar colours">
          {DEFAULT_BREAKDOWN_KINDS.map((kind) => (
            <li key={kind}>
              <span className="kind-dot" style={{ background: KIND_COLORS[kind] }} aria-hidden="true" />
              {kind}
            </li>
          ))}
        </ul>
      </div>
      <LiveRanked
        initial={{ byCountry, byUrl, byVisitor, issues: issues.issues, now: view.to.getTime() }}
        query={{ scope, relative: view.rangeId !== "custom", until }}
        search={new URLSearchParams(view.params).toString()}
      />
      <div className="section-head-row">
        <h2 className="section-title">Latest events</h2>
        <LiveFeedControls />
      </div>
      <LiveFeed
        empty={
          <div className="empty">
            <p>No events for this website yet. They appear here as webhooks arrive.</p>
          </div>
        }
      />
    </LiveOverview>
  );
}
