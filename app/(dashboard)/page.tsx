import { z } from "zod";
import { TrendChart } from "@/components/charts/trend-chart";
import { LatestEventsTable } from "@/components/latest-events-table";
import { KIND_COLORS } from "@/components/charts/kind-colors";
import { BreakdownPanel } from "@/components/overview/breakdown-panel";
import { TopIssues } from "@/components/overview/top-issues";
import { TotalsCards } from "@/components/overview/totals";
import { RANGE_IDS, RANGES } from "@/components/overview/ranges";
import { RangePicker, TimeZoneSync, WebsiteSwitcher } from "@/components/overview/view-controls";
import { timeZoneName } from "@/lib/api/params";
import { requireUser } from "@/lib/auth/current-user";
import { breakdownQuery, DEFAULT_BREAKDOWN_KINDS, getBreakdown } from "@/lib/queries/get-breakdown";
import { getIssues, issuesQuery } from "@/lib/queries/get-issues";
import { getLatestEvents } from "@/lib/queries/get-latest-events";
import { getTimeseries, timeseriesQuery } from "@/lib/queries/get-timeseries";
import { getTotals, totalsQuery } from "@/lib/queries/get-totals";
import { listWebsites } from "@/lib/websites/websites";

const LATEST = 50;
const BREAKDOWN_ROWS = 5;
const TOP_ISSUES = 10;

// The view lives in the URL, so a link shows the same view; anything unreadable falls back.
const viewParams = z.object({
  website: z.string().max(255).optional().catch(undefined),
  range: z.enum(RANGE_IDS).catch("24h"),
  tz: timeZoneName.optional().catch(undefined),
});

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The layout's check does not guard the page: Next.js renders both at once and streams this
  // page's output even when the layout redirects. Every page checks for itself.
  await requireUser();
  const view = viewParams.parse(await searchParams);
  const tz = view.tz ?? "UTC";
  const websites = await listWebsites();
  const website = websites.find((w) => w.id === view.website) ?? websites[0];

  if (!website) {
    return (
      <>
        <h1>Overview</h1>
        <div className="panel">
          <div className="empty">
            <p>No events yet.</p>
            <p>
              Point a LiveSession <code>session.event</code> webhook at <code>/api/webhooks/livesession</code>, or run{" "}
              <code>npm run simulate</code> to see demo data.
            </p>
          </div>
        </div>
      </>
    );
  }

  const to = new Date();
  const range = RANGES.find((r) => r.id === view.range)!;
  const from = new Date(to.getTime() - range.hours * 3_600_000);
  // Every query parses its own schema, so its defaults apply (kinds, tz, series...).
  const scope = { websiteId: website.id, from: from.toISOString(), to: to.toISOString(), tz };
  const breakdown = (by: "country" | "url" | "visitor", series: boolean) =>
    getBreakdown(breakdownQuery.parse({ ...scope, by, limit: BREAKDOWN_ROWS, series: series ? "1" : "0" }));
  const [trend, latest, totals, byCountry, byUrl, byVisitor, issues] = await Promise.all([
    getTimeseries(timeseriesQuery.parse(scope)),
    getLatestEvents(LATEST, website.id),
    getTotals(totalsQuery.parse(scope)),
    breakdown("country", true),
    breakdown("url", true),
    breakdown("visitor", false),
    getIssues(issuesQuery.parse({ ...scope, sort: "events", limit: TOP_ISSUES })),
  ]);
  const total = trend.points.reduce((sum, p) => sum + Object.values(p.values).reduce((a, b) => a + b, 0), 0);

  return (
    <>
      <TimeZoneSync current={view.tz ?? null} />
      <div className="page-header">
        <h1>Overview</h1>
        <div className="view-controls">
          <WebsiteSwitcher websites={websites.map((w) => ({ id: w.id, label: w.name ?? w.id }))} selected={website.id} />
          <RangePicker selected={view.range} />
        </div>
      </div>
      <p className="subtitle">
        {total.toLocaleString("en-US")} events in the {range.label.toLowerCase()}, per{" "}
        {trend.bucketMinutes >= 60 ? `${trend.bucketMinutes / 60} h` : `${trend.bucketMinutes} min`} · times in {tz}
      </p>
      <TotalsCards totals={totals} periodLabel={range.label.toLowerCase().replace(/^last /, "")} />
      <section className="panel chart-panel" aria-label="Events over time">
        <TrendChart points={trend.points} series={trend.series} bucketMinutes={trend.bucketMinutes} timeZone={tz} />
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
      <div className="breakdown-grid">
        <BreakdownPanel title="By country" by="country" breakdown={byCountry} />
        <BreakdownPanel title="By URL" by="url" breakdown={byUrl} />
        <BreakdownPanel title="By visitor" by="visitor" breakdown={byVisitor} />
      </div>
      <h2 className="section-title">Top issues</h2>
      <section className="panel" aria-label="Top issues">
        <TopIssues issues={issues.issues} now={to.getTime()} />
      </section>
      <h2 className="section-title">Latest events</h2>
      <div className="panel">
        {latest.length === 0 ? (
          <div className="empty">
            <p>No events for this website yet.</p>
          </div>
        ) : (
          <LatestEventsTable events={latest} timeZone={tz} />
        )}
      </div>
    </>
  );
}
