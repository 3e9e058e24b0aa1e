import { z } from "zod";
import { TrendChart } from "@/components/charts/trend-chart";
import { LatestEventsTable } from "@/components/latest-events-table";
import { RANGE_IDS, RANGES } from "@/components/overview/ranges";
import { RangePicker, TimeZoneSync, WebsiteSwitcher } from "@/components/overview/view-controls";
import { timeZoneName } from "@/lib/api/params";
import { requireUser } from "@/lib/auth/current-user";
import { getLatestEvents } from "@/lib/queries/get-latest-events";
import { getTimeseries } from "@/lib/queries/get-timeseries";
import { listWebsites } from "@/lib/websites/websites";

const LATEST = 50;

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
  const [trend, latest] = await Promise.all([
    getTimeseries({ websiteId: website.id, from: from.toISOString(), to: to.toISOString(), tz }),
    getLatestEvents(LATEST, website.id),
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
      <section className="panel chart-panel" aria-label="Events over time">
        <TrendChart points={trend.points} series={trend.series} bucketMinutes={trend.bucketMinutes} timeZone={tz} />
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
