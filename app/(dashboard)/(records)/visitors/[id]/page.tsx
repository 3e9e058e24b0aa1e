import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { ExportLinks } from "@/components/view/export-links";
import { NoWebsites } from "@/components/view/no-websites";
import { ViewHeader } from "@/components/view/view-header";
import { VisitorIssues } from "@/components/visitors/visitor-issues";
import { VisitorParams, VisitorProfile, VisitorTotals } from "@/components/visitors/visitor-profile";
import { VisitorTimeline } from "@/components/visitors/visitor-timeline";
import { EraseVisitorButton } from "@/components/visitors/erase-visitor-button";
import { countryName } from "@/components/country";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { findVisitor, getVisitor, visitorQuery, type VisitorProfile as Profile } from "@/lib/queries/get-visitor";
import { getVisitorEvents, visitorEventsQuery } from "@/lib/queries/get-visitor-events";
import { getVisitorIssues, visitorIssuesQuery } from "@/lib/queries/get-visitor-issues";
import { liveFilters, liveView } from "@/lib/view/live";
import { viewHref, type View } from "@/lib/view/view";
import { loadRecordView, Pending } from "../../record-page";

const TIMELINE_PAGE = 50;
const ISSUES_SHOWN = 20;

// The page's own URL params: the timeline's page, and whether it spans all time or the view's range.
const pageParams = z.object({
  cursor: z.string().max(500).optional().catch(undefined),
  history: z.enum(["all"]).optional().catch(undefined),
});

type SearchParams = Record<string, string | string[] | undefined>;

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/**
 * The visitor the path names. Next.js hands the segment over decoded or, in some versions and
 * for some characters, still percent-encoded: the id as given is tried first, then decoded.
 */
async function resolveVisitor(websiteId: string, raw: string): Promise<Profile | null> {
  const candidates = [raw];
  try {
    const decoded = decodeURIComponent(raw);
    if (decoded !== raw) candidates.push(decoded);
  } catch {
    // Not valid percent-encoding: only the id as given.
  }
  for (const id of candidates) {
    const visitor = id.length <= 255 ? await findVisitor(websiteId, id) : null;
    if (visitor) return visitor;
  }
  return null;
}

export default async function VisitorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const [{ id: rawId }, raw, view] = await Promise.all([params, searchParams, loadRecordView(searchParams)]);
  if (!view.website) return <NoWebsites title="Visitor" />;
  const visitor = await resolveVisitor(view.website.id, rawId);
  if (visitor === null) notFound();

  return (
    <>
      <p className="breadcrumb">
        <Link href={viewHref("/visitors", view)}>← Visitors</Link>
      </p>
      <ViewHeader title={visitor.name || visitor.email || visitor.id} view={view} live={liveView(view, liveFilters(view, { visitorId: visitor.id }))} />
      <Suspense fallback={<Pending what="the visitor" />}>
        <VisitorDetails id={visitor.id} view={view} raw={raw} canErase={hasRole(user.role, "admin")} />
      </Suspense>
    </>
  );
}

/** What the visitor's page reads for the view: streamed once the visitor is known to exist. */
async function VisitorDetails({ id, view, raw, canErase }: { id: string; view: View; raw: SearchParams; canErase: boolean }) {
  const own = pageParams.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const path = `/visitors/${encodeURIComponent(id)}`;
  const kinds = view.filters.kind?.length ? view.filters.kind.join(",") : undefined;
  // The view's filters apply to the timeline and the issues; the visitor filter is this page.
  const { visitorId: _visitor, ...scope } = view.scope;

  /** This page keeping the view and the timeline's params, changed by `changes` (null removes one). */
  const pageHref = (changes: Record<string, string | null>) => viewHref(path, view, { history: own.history ?? null, ...changes });
  const issueHref = (issueId: string) => viewHref(`/issues/${issueId}`, view);

  const { from: _from, to: _to, ...unbounded } = scope;
  const timelineScope: Record<string, string> = own.history === "all" ? unbounded : scope;
  const timelineBase = { ...timelineScope, limit: TIMELINE_PAGE };
  const loadTimeline = async () => {
    try {
      return { ...(await getVisitorEvents(id, visitorEventsQuery.parse({ ...timelineBase, cursor: own.cursor }))), badCursor: false };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400 || !own.cursor) throw error;
      return { ...(await getVisitorEvents(id, visitorEventsQuery.parse(timelineBase))), badCursor: true };
    }
  };
  const [data, issues, timeline] = await Promise.all([
    getVisitor(id, visitorQuery.parse(view.scope)),
    getVisitorIssues(id, visitorIssuesQuery.parse({ ...scope, visitorId: id, limit: ISSUES_SHOWN, sort: "events" })),
    loadTimeline(),
  ]);
  const v = data.visitor;
  const inRange = data.events;
  const allTime = Object.values(data.totals.allTime).reduce((a, b) => a + b, 0);
  const { tz: _tz, ...timelineQuery } = timelineScope;

  return (
    <>
      <p className="subtitle">
        {plural(inRange, "event")} {view.rangePhrase} · {allTime.toLocaleString("en-US")} all time · times in {view.tz}
      </p>
      <VisitorTotals data={data} rangePhrase={view.rangePhrase} />
      <div className="visitor-grid">
        <section className="panel visitor-panel" aria-label="Profile">
          <h2 className="panel-title">Profile</h2>
          <VisitorProfile data={data} timeZone={view.tz} countryName={countryName(v.countryCode)} />
          <p className="livesession-link">
            <a href={data.sessionsUrl} target="_blank" rel="noopener noreferrer" className="button button-small">
              Sessions in LiveSession ↗
            </a>
            {v.email ? null : (
              <span className="muted small">
                {" "}
                No email was identified: search for the visitor id there.
              </span>
            )}
          </p>
          {canErase ? <EraseVisitorButton websiteId={v.websiteId} visitorId={id} listHref={viewHref("/visitors", view)} /> : null}
        </section>
        <section className="panel visitor-panel" aria-label="Params">
          <h2 className="panel-title">Params</h2>
          <VisitorParams params={v.params} />
        </section>
      </div>
      <div className="section-head-row">
        <h2 className="section-title">Issues they hit</h2>
        <ExportLinks href={`/api/visitors/${encodeURIComponent(id)}/issues?${new URLSearchParams(scope).toString()}`} />
      </div>
      <section className="panel" aria-label="Issues they hit">
        <VisitorIssues issues={issues.issues} now={Date.now()} issueHref={issueHref} />
      </section>
      {issues.nextCursor ? <p className="muted small">Showing the {ISSUES_SHOWN} issues with the most events.</p> : null}

      <div className="section-head-row" id="timeline">
        <h2 className="section-title">Timeline</h2>
        <nav className="segmented" aria-label="Timeline span">
          <Link href={pageHref({ history: null, cursor: null })} aria-current={own.history !== "all" ? "true" : undefined}>
            {view.rangeId === "custom" ? "This range" : view.rangeLabel}
          </Link>
          <Link href={pageHref({ history: "all", cursor: null })} aria-current={own.history === "all" ? "true" : undefined}>
            All time
          </Link>
        </nav>
      </div>
      <div className="list-toolbar">
        <p className="muted small">
          {kinds ? `${kinds.replaceAll(",", ", ")} only` : "Every kind"}, newest first. The kind toggles and filters at the top narrow it.
        </p>
        <ExportLinks href={`/api/visitors/${encodeURIComponent(id)}/events?${new URLSearchParams(timelineQuery).toString()}`} />
      </div>
      {timeline.badCursor ? <p className="alert alert-info">That page link is no longer valid; showing the newest events.</p> : null}
      <section className="panel" aria-label="Timeline">
        {timeline.events.length === 0 ? (
          <div className="empty">
            <p>{kinds ? `No ${kinds} events` : "No events"} {own.history === "all" ? "from this visitor." : `${view.rangePhrase}.`}</p>
            {own.history !== "all" ? (
              <p>
                <Link href={pageHref({ history: "all", cursor: null })}>Show all time</Link>
              </p>
            ) : null}
          </div>
        ) : (
          <VisitorTimeline events={timeline.events} timeZone={view.tz} issueHref={issueHref} />
        )}
      </section>
      {own.cursor || timeline.nextCursor ? (
        <nav className="pager" aria-label="Timeline pages">
          {own.cursor && !timeline.badCursor ? <Link href={`${pageHref({ cursor: null })}#timeline`}>← Newest</Link> : <span />}
          {timeline.nextCursor ? (
            <Link href={`${pageHref({ cursor: timeline.nextCursor })}#timeline`} rel="next">
              Older events →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
