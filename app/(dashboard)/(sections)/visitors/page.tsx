import Link from "next/link";
import { z } from "zod";
import { ExportLinks } from "@/components/view/export-links";
import { NoWebsites } from "@/components/view/no-websites";
import { SearchForm } from "@/components/view/search-form";
import { ViewHeader } from "@/components/view/view-header";
import { FRUSTRATION_NOTE, VisitorsTable } from "@/components/visitors/visitors-table";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { getVisitors, VISITOR_SORTS, visitorsQuery, type VisitorSort } from "@/lib/queries/get-visitors";
import { liveView } from "@/lib/view/live";
import { loadView, viewHref } from "@/lib/view/view";

const SORT_LABELS: Record<VisitorSort, string> = { frustration: "Frustration", lastSeen: "Last seen", errors: "Errors" };

// The list's own URL params (the view's are read by loadView); anything unreadable falls back.
const listParams = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(VISITOR_SORTS).catch("frustration"),
  cursor: z.string().max(500).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(100).catch(50),
});

type SearchParams = Record<string, string | string[] | undefined>;

export default async function VisitorsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const [raw, view] = await Promise.all([searchParams, loadView(searchParams)]);
  if (!view.website) return <NoWebsites title="Visitors" />;
  const own = listParams.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const q = own.q || undefined;

  /** This page with the view and the list's params, changed by `changes` (null removes one). */
  const listHref = (changes: Record<string, string | null>) =>
    viewHref("/visitors", view, {
      q: q ?? null,
      sort: own.sort === "frustration" ? null : own.sort,
      limit: own.limit === 50 ? null : String(own.limit),
      ...changes,
    });

  const base = { ...view.scope, q, sort: own.sort, limit: own.limit };
  let badCursor = false;
  let result;
  try {
    result = await getVisitors(visitorsQuery.parse({ ...base, cursor: own.cursor }));
  } catch (error) {
    // A stale or edited cursor in the URL: show the first page rather than an error.
    if (!(error instanceof ApiError) || !own.cursor) throw error;
    badCursor = true;
    result = await getVisitors(visitorsQuery.parse(base));
  }
  const exportQuery = new URLSearchParams(
    Object.entries({ ...view.scope, q, sort: own.sort }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""),
  );
  const hidden: [string, string][] = Object.entries(view.params).filter((e): e is [string, string] => typeof e[1] === "string");
  if (own.sort !== "frustration") hidden.push(["sort", own.sort]);
  if (own.limit !== 50) hidden.push(["limit", String(own.limit)]);
  const now = Date.now();

  return (
    <>
      <ViewHeader title="Visitors" view={view} live={liveView(view)} />
      <p className="subtitle">
        Visitors with errors or rage clicks {view.rangePhrase}
        {result.from !== view.from.toISOString() ? ", counted by whole UTC days" : ""}. {FRUSTRATION_NOTE}
      </p>
      <div className="list-toolbar">
        <SearchForm action="/visitors" hidden={hidden} id="visitor-search" label="Search visitors" placeholder="Name, email or id" q={q} maxLength={200}>
          {q ? (
            <Link href={listHref({ q: null, cursor: null })} className="button button-small button-ghost">
              Clear
            </Link>
          ) : null}
        </SearchForm>
        <nav className="segmented" aria-label="Sort by">
          {VISITOR_SORTS.map((sort) => (
            <Link key={sort} href={listHref({ sort: sort === "frustration" ? null : sort, cursor: null })} aria-current={sort === own.sort ? "true" : undefined}>
              {SORT_LABELS[sort]}
            </Link>
          ))}
        </nav>
        <ExportLinks href={`/api/visitors?${exportQuery.toString()}`} />
      </div>
      {badCursor ? <p className="alert alert-info">That page link is no longer valid; showing the first page.</p> : null}
      <section className="panel" aria-label="Visitors">
        {result.visitors.length === 0 ? (
          <div className="empty">
            <p>{q ? `No visitors match “${q}” in this range.` : `No visitor had an error or a rage click ${view.rangePhrase}.`}</p>
            {q ? <p><Link href={listHref({ q: null, cursor: null })}>Clear the search</Link></p> : <p>Try a longer time range.</p>}
          </div>
        ) : (
          <VisitorsTable visitors={result.visitors} now={now} visitorHref={(id) => viewHref(`/visitors/${encodeURIComponent(id)}`, view)} />
        )}
      </section>
      {own.cursor || result.nextCursor ? (
        <nav className="pager" aria-label="Pages">
          {own.cursor && !badCursor ? <Link href={listHref({ cursor: null })}>← First page</Link> : <span />}
          {result.nextCursor ? (
            <Link href={listHref({ cursor: result.nextCursor })} rel="next">
              Next page →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
