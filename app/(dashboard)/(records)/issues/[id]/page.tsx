import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { kindColor } from "@/components/charts/kind-colors";
import { TrendChart } from "@/components/charts/trend-chart";
import { CommentForm } from "@/components/issues/comment-form";
import { CorrelationsTable } from "@/components/issues/correlations";
import { ActivityList, CommentList } from "@/components/issues/issue-activity";
import { IssueTriage } from "@/components/issues/issue-triage";
import { IssueUrlsPanel, IssueVisitorsPanel } from "@/components/issues/issue-panels";
import { Occurrences } from "@/components/issues/occurrences";
import { parseTrail, trailLinks } from "@/components/issues/paging";
import { count, derivedStatus } from "@/components/issues/status";
import { IssueMeta } from "@/components/table-cells";
import { BreakdownPanel } from "@/components/overview/breakdown-panel";
import { ExportLinks } from "@/components/view/export-links";
import { ViewHeader } from "@/components/view/view-header";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { listMembers } from "@/lib/auth/users";
import { breakdownQuery, getBreakdown } from "@/lib/queries/get-breakdown";
import { findIssue, issueRangeQuery, type IssueSummary } from "@/lib/queries/get-issue";
import { getIssueActivity, getIssueComments } from "@/lib/queries/get-issue-activity";
import { getIssueCorrelations, issueCorrelationsQuery } from "@/lib/queries/get-issue-correlations";
import { getIssueEvents, issueEventsQuery } from "@/lib/queries/get-issue-events";
import { getIssueTrend } from "@/lib/queries/get-issue-trend";
import { getIssueUrls, issueUrlsQuery } from "@/lib/queries/get-issue-urls";
import { liveView } from "@/lib/view/live";
import { loadView, viewHref, type View } from "@/lib/view/view";
import { Pending } from "../../record-page";

const TOP = 8;
const OCCURRENCES = 20;

type Params = Record<string, string | string[] | undefined>;

export default async function IssuePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const user = await requireUser();
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const issue = await findIssue(id);
  // Unknown, or another website's issue than the one in the URL: the same 404.
  if (!issue || (typeof search.website === "string" && search.website !== issue.websiteId)) notFound();
  const [view, members, activity, comments] = await Promise.all([
    loadView(Promise.resolve({ ...search, website: issue.websiteId })),
    listMembers(),
    getIssueActivity(issue.id),
    getIssueComments(issue.id),
  ]);
  const canTriage = hasRole(user.role, "member");
  const issueHref = (other: string) => viewHref(`/issues/${other}`, view);

  return (
    <>
      <p className="breadcrumb">
        <Link href={viewHref("/issues", view)}>← Issues</Link>
      </p>
      <ViewHeader title="Issue" view={view} filters={false} live={liveView(view, { issueId: issue.id })} />
      {issue.mergedInto !== null ? (
        <p className="alert alert-info" role="status" data-merged-into={issue.mergedInto}>
          Merged into <Link href={issueHref(issue.mergedInto)}>issue {issue.mergedInto}</Link>: its new events are counted there. The events below
          arrived before the merge.
        </p>
      ) : null}
      {issue.mergedFrom.length > 0 ? (
        <p className="muted small">
          Merged into this one:{" "}
          {issue.mergedFrom.map((from, i) => (
            <span key={from}>
              {i > 0 ? ", " : null}
              <Link href={issueHref(from)}>issue {from}</Link>
            </span>
          ))}{" "}
          (their earlier events stay on their own pages).
        </p>
      ) : null}
      <IssueTriage issue={issue} members={members.map((m) => ({ id: m.id, name: m.name }))} canTriage={canTriage} />
      <Suspense fallback={<Pending what="the issue" />}>
        <IssueDetails issue={issue} view={view} search={search} />
      </Suspense>
      <div className="triage-grid">
        <section className="panel" aria-label="Comments">
          <h2 className="section-title">Comments</h2>
          <CommentList comments={comments} timeZone={view.tz} />
          {canTriage ? <CommentForm issueId={issue.id} /> : null}
        </section>
        <section className="panel" aria-label="Activity">
          <h2 className="section-title">Activity</h2>
          <ActivityList activity={activity} timeZone={view.tz} issueHref={issueHref} />
        </section>
      </div>
    </>
  );
}

/** What the issue's page reads for the view's range: streamed once the issue is known to exist. */
async function IssueDetails({ issue, view, search }: { issue: IssueSummary; view: View; search: Params }) {
  const range = { websiteId: issue.websiteId, from: view.from.toISOString(), to: view.to.toISOString(), tz: view.tz };
  const breakdown = (by: "country" | "visitor") =>
    getBreakdown(breakdownQuery.parse({ ...range, by, issueId: issue.id, kind: issue.kind, limit: TOP }));
  let trail = parseTrail(typeof search.cursor === "string" ? search.cursor : undefined);
  const occurrences = async () => {
    try {
      return await getIssueEvents(issue.id, issueEventsQuery.parse({ ...range, limit: OCCURRENCES, cursor: trail.at(-1) }));
    } catch (error) {
      if (!(error instanceof ApiError) || trail.length === 0) throw error;
      trail = [];
      return getIssueEvents(issue.id, issueEventsQuery.parse({ ...range, limit: OCCURRENCES }));
    }
  };
  const [trend, countries, visitors, urls, correlations, events] = await Promise.all([
    getIssueTrend(issue.id, issueRangeQuery.parse(range)),
    breakdown("country"),
    breakdown("visitor"),
    getIssueUrls(issue.id, issueUrlsQuery.parse({ ...range, limit: TOP })),
    getIssueCorrelations(issue.id, issueCorrelationsQuery.parse(range)),
    occurrences(),
  ]);

  const here = `/issues/${issue.id}`;
  const href = (changes: Record<string, string | null>) => viewHref(here, view, changes);
  const visitorHref = (visitorId: string) => viewHref(`/visitors/${encodeURIComponent(visitorId)}`, view);
  const pages = trailLinks(trail, events.nextCursor);
  const color = kindColor(issue.kind);
  const status = derivedStatus(issue.firstSeen, view.from);
  const exact = new Intl.DateTimeFormat("en-GB", { timeZone: view.tz, dateStyle: "medium", timeStyle: "short" });
  const inRange = countries.total;
  const apiRange = new URLSearchParams(range).toString();

  return (
    <>
      <section className="issue-header panel" aria-label="Summary" data-issue-id={issue.id}>
        <IssueMeta kind={issue.kind} status={status} />
        <h2 className="issue-heading">
          <code>{issue.title}</code>
        </h2>
        <dl className="issue-facts">
          <div data-figure="events">
            <dt>Events in range</dt>
            <dd>{count(inRange)}</dd>
          </div>
          <div data-figure="totalEvents">
            <dt>All-time events</dt>
            <dd>{count(issue.totalEvents)}</dd>
          </div>
          <div data-figure="visitors">
            <dt>Visitors (all time)</dt>
            <dd>{count(issue.visitors)}</dd>
          </div>
          <div data-figure="firstSeen">
            <dt>First seen</dt>
            <dd>
              <time dateTime={issue.firstSeen}>{exact.format(new Date(issue.firstSeen))}</time>
            </dd>
          </div>
          <div data-figure="lastSeen">
            <dt>Last seen</dt>
            <dd>
              <time dateTime={issue.lastSeen}>{exact.format(new Date(issue.lastSeen))}</time>
            </dd>
          </div>
        </dl>
      </section>

      <h2 className="section-title">Trend</h2>
      <section className="panel chart-panel" aria-label="Events over time">
        {trend.total === 0 ? (
          <div className="empty empty-compact">
            <p>No events of this issue {view.rangePhrase}.</p>
          </div>
        ) : (
          <>
            <p className="muted small chart-caption">
              {count(trend.total)} events, per {trend.bucketMinutes >= 60 ? `${trend.bucketMinutes / 60} h` : `${trend.bucketMinutes} min`} · times in {view.tz}
            </p>
            <TrendChart
              points={trend.points.map((p) => ({ t: p.t, values: { [issue.kind]: p.events } }))}
              series={[issue.kind]}
              bucketMinutes={trend.bucketMinutes}
              timeZone={view.tz}
            />
          </>
        )}
      </section>

      <h2 className="section-title">Where and who</h2>
      <div className="breakdown-grid">
        <BreakdownPanel title="Countries" by="country" breakdown={countries} />
        <IssueUrlsPanel urls={urls} kind={issue.kind} color={color} />
        <IssueVisitorsPanel breakdown={visitors} color={color} visitorHref={visitorHref} />
      </div>

      <div className="section-head-row">
        <h2 className="section-title">Visitor params it correlates with</h2>
        <ExportLinks href={`/api/issues/${issue.id}/correlations?${apiRange}`} />
      </div>
      <section className="panel" aria-label="Correlated visitor params">
        <CorrelationsTable correlations={correlations} />
      </section>

      <div className="section-head-row">
        <h2 className="section-title">Latest occurrences</h2>
        <ExportLinks href={`/api/issues/${issue.id}/events?${apiRange}&limit=100`} />
      </div>
      <section className="panel" aria-label="Latest occurrences">
        {events.events.length === 0 ? (
          <div className="empty empty-compact">
            <p>No occurrences {view.rangePhrase}. Last seen {exact.format(new Date(issue.lastSeen))}.</p>
          </div>
        ) : (
          <Occurrences events={events.events} timeZone={view.tz} visitorHref={visitorHref} />
        )}
      </section>
      {pages.previous !== null || pages.next !== null ? (
        <nav className="pager" aria-label="Occurrence pages">
          {pages.previous !== null ? (
            <Link href={href({ cursor: pages.previous || null })} rel="prev" className="button button-small" scroll={false}>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {pages.next !== null ? (
            <Link href={href({ cursor: pages.next })} rel="next" className="button button-small" scroll={false}>
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
