import Link from "next/link";
import { z } from "zod";
import { ExportLinks } from "@/components/view/export-links";
import { NoWebsites } from "@/components/view/no-websites";
import { SearchForm } from "@/components/view/search-form";
import { ViewHeader } from "@/components/view/view-header";
import { apiHref, firstParam, withParams } from "@/components/urls/page-href";
import { formatRate, statusLabel } from "@/components/urls/status-chips";
import { UrlsTable } from "@/components/urls/urls-table";
import { requireUser } from "@/lib/auth/current-user";
import { getUrls, statusParam, URL_SORTS, urlsQuery } from "@/lib/queries/get-urls";
import { liveFilters, liveView } from "@/lib/view/live";
import { loadView, viewHref } from "@/lib/view/view";

const PAGE_SIZE = 50;

// The page's own parameters, on top of the view's; anything unreadable falls back.
const pageParams = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(URL_SORTS).catch("events"),
  status: statusParam.optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

const SORT_LABELS: Record<(typeof URL_SORTS)[number], string> = { events: "Most failures", lastSeen: "Last seen" };

export default async function UrlsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const [raw, view] = await Promise.all([searchParams, loadView(searchParams)]);
  if (!view.website) return <NoWebsites title="URLs" />;
  const own = pageParams.parse({ q: firstParam(raw.q), sort: firstParam(raw.sort), status: firstParam(raw.status), cursor: firstParam(raw.cursor) });
  const q = own.q || undefined;

  const listQuery = { ...view.scope, q, sort: own.sort, status: own.status };
  let result: Awaited<ReturnType<typeof getUrls>>;
  try {
    result = await getUrls(urlsQuery.parse({ ...listQuery, cursor: own.cursor, limit: PAGE_SIZE }));
  } catch {
    // A stale or foreign cursor: start from the first page.
    result = await getUrls(urlsQuery.parse({ ...listQuery, limit: PAGE_SIZE }));
  }
  const here = withParams(viewHref("/urls", view), { q, sort: own.sort === "events" ? undefined : own.sort, status: own.status });
  const visitorsAllTime = result.visitorsScope === "allTime";
  // The search form carries the view and the list's sort and status filter along.
  const hidden = Object.entries(view.params).filter((e): e is [string, string] => typeof e[1] === "string");
  if (own.sort !== "events") hidden.push(["sort", own.sort]);
  if (own.status !== undefined) hidden.push(["status", String(own.status)]);

  return (
    <>
      <ViewHeader title="URLs" view={view} live={liveView(view, liveFilters(view, { kind: "NetError", prop: undefined }))} />
      <p className="subtitle" data-figure="summary">
        {result.total.toLocaleString("en-US")} failed {result.total === 1 ? "request" : "requests"} {view.rangePhrase} · {formatRate(result.perHour)} per hour ·{" "}
        {result.endpoints.toLocaleString("en-US")} {result.endpoints === 1 ? "endpoint" : "endpoints"}
        {q || own.status !== undefined ? " matching" : ""}
      </p>
      {(view.filters.kind !== undefined || view.filters.prop !== undefined) && (
        <p className="hint">The kind and custom property filters do not apply to failed requests.</p>
      )}
      <p className="hint urls-note">
        LiveSession reports failed requests only, so a true error rate (failures ÷ all requests) cannot be known here.{" "}
        <strong>Share</strong> is an endpoint&apos;s part of all failed requests in the range; <strong>per hour</strong> is its
        failures divided by the range&apos;s hours.
        {visitorsAllTime ? " Over ranges longer than 6 hours, visitors are counted over all time." : ""}
      </p>

      <div className="list-toolbar">
        <SearchForm
          action="/urls"
          hidden={hidden}
          id="urls-q"
          label="Search URLs"
          placeholder="Search method or URL…"
          q={q}
          buttonClassName="button button-secondary button-small"
        />
        <nav className="segmented" aria-label="Sort">
          {URL_SORTS.map((sort) => (
            <Link key={sort} href={withParams(here, { sort: sort === "events" ? undefined : sort })} aria-current={sort === own.sort ? "true" : undefined}>
              {SORT_LABELS[sort]}
            </Link>
          ))}
        </nav>
        <ExportLinks href={apiHref("/api/urls", view.scope, { q, sort: own.sort, status: own.status, limit: 100 })} />
      </div>

      {(q || own.status !== undefined) && (
        <ul className="page-chips" aria-label="List filters">
          {q && (
            <li>
              Search: <code>{q}</code>{" "}
              <Link href={withParams(here, { q: undefined })} aria-label="Clear the search">
                ×
              </Link>
            </li>
          )}
          {own.status !== undefined && (
            <li>
              Status {statusLabel(own.status)}{" "}
              <Link href={withParams(here, { status: undefined })} aria-label="Show every status">
                ×
              </Link>
            </li>
          )}
        </ul>
      )}

      <section className="panel" aria-label="Failing endpoints">
        {result.urls.length === 0 ? (
          <div className="empty">
            <p>{q || own.status !== undefined ? "No failing endpoint matches." : "No failed requests in this range."}</p>
            {result.total === 0 && <p className="muted">Failed network requests (NetError events) show up here, grouped by method and URL.</p>}
          </div>
        ) : (
          <UrlsTable
            urls={result.urls}
            hrefOf={(url) => withParams(viewHref(`/urls/${url.id}`, view), { method: url.method || undefined })}
            statusHref={(status) => withParams(here, { status })}
            now={Date.now()}
            visitorsAllTime={visitorsAllTime}
          />
        )}
      </section>
      {(own.cursor || result.nextCursor) && (
        <nav className="pager" aria-label="Pages">
          {own.cursor ? <Link href={here}>← First page</Link> : <span />}
          {result.nextCursor && <Link href={withParams(here, { cursor: result.nextCursor })}>Next page →</Link>}
        </nav>
      )}
    </>
  );
}
