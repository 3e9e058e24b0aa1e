import Link from "next/link";
import { z } from "zod";
import { BulkActions } from "@/components/issues/bulk-actions";
import { IssuesTable } from "@/components/issues/issues-table";
import { STATUS_LABELS } from "@/components/issues/status-badge";
import { parseTrail, trailLinks } from "@/components/issues/paging";
import { ExportLinks } from "@/components/view/export-links";
import { NoWebsites } from "@/components/view/no-websites";
import { SearchForm } from "@/components/view/search-form";
import { ViewHeader } from "@/components/view/view-header";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { listMembers } from "@/lib/auth/users";
import { ISSUE_STATUSES } from "@/lib/issues/states";
import { getIssues, ISSUE_SORTS, issuesQuery, type IssueSort } from "@/lib/queries/get-issues";
import { ERROR_LIKE_KINDS } from "@/lib/queries/range";
import { liveFilters, liveView } from "@/lib/view/live";
import { loadView, viewHref, type View } from "@/lib/view/view";

const PAGE_SIZE = 50;
const SORT_SHORT: Record<IssueSort, string> = { events: "Events", visitors: "Visitors", firstSeen: "First seen", lastSeen: "Last seen" };
const SORT_LABELS: Record<IssueSort, string> = { events: "events in range", visitors: "visitors", firstSeen: "first seen", lastSeen: "last seen" };

// The list's own URL params, next to the view's (website, range, tz, filters).
const listParams = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(ISSUE_SORTS).catch("events"),
  cursor: z.string().max(25_000).optional().catch(undefined),
  status: z.enum(ISSUE_STATUSES).optional().catch(undefined),
});

type Params = Record<string, string | string[] | undefined>;

export default async function IssuesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireUser();
  const canTriage = hasRole(user.role, "member");
  const params = await searchParams;
  const view = await loadView(Promise.resolve(params));
  if (!view.website) return <NoWebsites title="Issues" />;
  const list = listParams.parse({ q: one(params.q), sort: one(params.sort) ?? undefined, cursor: one(params.cursor), status: one(params.status) });
  const q = list.q || undefined;
  const trail = parseTrail(list.cursor);
  // Errors and rage clicks unless the view picks kinds (Custom events have their own page).
  const kind = view.filters.kind?.join(",") ?? ERROR_LIKE_KINDS.join(",");
  const query = (cursor: string | undefined) => issuesQuery.parse({ ...view.scope, kind, q, sort: list.sort, status: list.status, limit: PAGE_SIZE, cursor });

  let result: Awaited<ReturnType<typeof getIssues>>;
  let pageTrail = trail;
  try {
    result = await getIssues(query(trail.at(-1)));
  } catch (error) {
    // A cursor from another sort or a damaged URL: show the first page.
    if (!(error instanceof ApiError) || trail.length === 0) throw error;
    pageTrail = [];
    result = await getIssues(query(undefined));
  }

  // Links keep the view and the list's own params; `changes` set (or, with null, drop) some.
  const own = {
    q: q ?? null,
    sort: list.sort === "events" ? null : list.sort,
    status: list.status ?? null,
    cursor: pageTrail.length ? pageTrail.join(".") : null,
  };
  const href = (changes: Record<string, string | null>) => viewHref("/issues", view, { ...own, ...changes });
  const pages = trailLinks(pageTrail, result.nextCursor);
  const apiParams = new URLSearchParams({ ...view.scope, kind, sort: list.sort, limit: "100" });
  if (q) apiParams.set("q", q);
  if (list.status) apiParams.set("status", list.status);
  const filtered = q !== undefined || view.filters.kind !== undefined || list.status !== undefined;
  const members = canTriage ? (await listMembers()).map((m) => ({ id: m.id, name: m.name })) : [];

  return (
    <>
      <ViewHeader title="Issues" view={view} live={liveView(view, liveFilters(view, { kind }))}>
        <p className="subtitle">
          {view.filters.kind ? "Issues" : "Errors and rage clicks"} with events {view.rangePhrase}, by {SORT_LABELS[list.sort]}
          {pageTrail.length > 0 ? ` · page ${pageTrail.length + 1}` : ""}
        </p>
      </ViewHeader>
      <div className="list-toolbar">
        <IssueSearch view={view} q={q} sort={list.sort} />
        {/* On a phone the table's headers are hidden: sort from here. */}
        <nav className="segmented sort-links" aria-label="Sort by">
          {ISSUE_SORTS.map((sort) => (
            <Link key={sort} href={href({ sort: sort === "events" ? null : sort, cursor: null })} aria-current={sort === list.sort ? "true" : undefined}>
              {SORT_SHORT[sort]}
            </Link>
          ))}
        </nav>
        <ExportLinks href={`/api/issues?${apiParams.toString()}`} />
      </div>
      <div className="list-toolbar">
        <nav className="segmented" aria-label="State">
          <Link href={href({ status: null, cursor: null })} aria-current={list.status === undefined ? "true" : undefined}>
            All
          </Link>
          {ISSUE_STATUSES.map((status) => (
            <Link key={status} href={href({ status, cursor: null })} aria-current={status === list.status ? "true" : undefined}>
              {STATUS_LABELS[status]}
            </Link>
          ))}
        </nav>
        {canTriage && result.issues.length > 0 ? <BulkActions members={members} /> : null}
      </div>
      <section className="panel" aria-label="Issues">
        {result.issues.length === 0 ? (
          <div className="empty">
            {filtered ? (
              <>
                <p>No issues match {q ? <>“{q}”</> : "these filters"} in this range{list.status ? ` in state ${STATUS_LABELS[list.status]}` : ""}.</p>
                <p>
                  <Link href={href({ q: null, kind: null, status: null, cursor: null })}>{list.status ? "Clear the search, state and kind filters" : "Clear the search and kind filter"}</Link>
                </p>
              </>
            ) : (
              <p>No issues in this range. Try a longer range.</p>
            )}
          </div>
        ) : (
          <IssuesTable
            issues={result.issues}
            rangeFrom={new Date(result.from)}
            now={view.to.getTime()}
            timeZone={view.tz}
            sort={list.sort}
            sortHref={(sort) => href({ sort: sort === "events" ? null : sort, cursor: null })}
            issueHref={(id) => viewHref(`/issues/${id}`, view)}
            selectable={canTriage}
          />
        )}
      </section>
      {pages.previous !== null || pages.next !== null ? (
        <nav className="pager" aria-label="Pages">
          {pages.previous !== null ? (
            <Link href={href({ cursor: pages.previous || null })} rel="prev" className="button button-small">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {pages.next !== null ? (
            <Link href={href({ cursor: pages.next })} rel="next" className="button button-small">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A plain GET form, so search works before (and without) JavaScript; the view rides along hidden. */
function IssueSearch({ view, q, sort }: { view: View; q: string | undefined; sort: IssueSort }) {
  const hidden: [string, string][] = Object.entries(view.params)
    .filter(([key]) => !["q", "cursor", "sort"].includes(key))
    .map(([key, value]) => [key, value ?? ""]);
  if (sort !== "events") hidden.push(["sort", sort]);
  return <SearchForm action="/issues" hidden={hidden} id="issue-search" label="Search issue titles" placeholder="Search titles…" q={q} maxLength={200} />;
}
