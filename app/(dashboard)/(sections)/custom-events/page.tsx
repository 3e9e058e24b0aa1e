import Link from "next/link";
import { z } from "zod";
import { TrendChart } from "@/components/charts/trend-chart";
import { CustomEventsTable } from "@/components/custom-events/custom-events-table";
import { PropertyBreakdown, TYPE_LABELS } from "@/components/custom-events/property-breakdown";
import { ExportLinks } from "@/components/view/export-links";
import { NoWebsites } from "@/components/view/no-websites";
import { SearchForm } from "@/components/view/search-form";
import { ViewHeader } from "@/components/view/view-header";
import { apiHref, firstParam, withParams } from "@/components/urls/page-href";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { breakdownQuery, getBreakdown } from "@/lib/queries/get-breakdown";
import { customEventPropertiesQuery, getCustomEventProperties } from "@/lib/queries/get-custom-event-properties";
import { customEventsQuery, customIssueId, getCustomEvents } from "@/lib/queries/get-custom-events";
import { ISSUE_SORTS } from "@/lib/queries/get-issues";
import { liveFilters, liveView } from "@/lib/view/live";
import { loadView, viewHref } from "@/lib/view/view";
import { formatCount } from "@/components/format";

const PAGE_SIZE = 50;

const pageParams = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(ISSUE_SORTS).catch("events"),
  cursor: z.string().max(500).optional().catch(undefined),
  name: z.string().max(500).optional().catch(undefined),
  property: z.string().min(1).max(200).optional().catch(undefined),
});

const SORT_LABELS: Record<(typeof ISSUE_SORTS)[number], string> = { events: "Most events", lastSeen: "Last seen", firstSeen: "Newest", visitors: "Most visitors" };

export default async function CustomEventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const [raw, view] = await Promise.all([searchParams, loadView(searchParams)]);
  if (!view.website) return <NoWebsites title="Custom events" />;
  const own = pageParams.parse(Object.fromEntries(["q", "sort", "cursor", "name", "property"].map((key) => [key, firstParam(raw[key])])));
  const q = own.q || undefined;

  const listQuery = { ...view.scope, q, sort: own.sort };
  let list: Awaited<ReturnType<typeof getCustomEvents>>;
  try {
    list = await getCustomEvents(customEventsQuery.parse({ ...listQuery, cursor: own.cursor, limit: PAGE_SIZE }));
  } catch {
    list = await getCustomEvents(customEventsQuery.parse({ ...listQuery, limit: PAGE_SIZE }));
  }
  const here = withParams(viewHref("/custom-events", view), { q, sort: own.sort === "events" ? undefined : own.sort });
  // The name whose properties are shown: the one chosen, else the first of the list.
  const name = own.name ?? list.events[0]?.name;
  const selected = name === undefined ? null : await loadSelected(view.scope, name, own.property);
  const nameHref = (n: string, property?: string) => withParams(here, { name: n, property, cursor: own.cursor });
  // The search form carries the view and the list's sort along.
  const hidden = Object.entries(view.params).filter((e): e is [string, string] => typeof e[1] === "string");
  if (own.sort !== "events") hidden.push(["sort", own.sort]);

  return (
    <>
      <ViewHeader title="Custom events" view={view} live={liveView(view, liveFilters(view, { kind: "Custom", url: undefined }))} />
      <p className="subtitle" data-figure="summary">
        {formatCount(list.total)} custom events {view.rangePhrase}
      </p>
      {(view.filters.url !== undefined || view.filters.kind !== undefined) && (
        <p className="hint">The kind and URL filters do not apply to custom events.</p>
      )}
      {view.filters.prop !== undefined && <p className="hint">The custom property filter applies to the property breakdown below.</p>}

      <div className="list-toolbar">
        <SearchForm
          action="/custom-events"
          hidden={hidden}
          id="custom-q"
          label="Search names"
          placeholder="Search names…"
          q={q}
          buttonClassName="button button-secondary button-small"
        />
        <nav className="segmented" aria-label="Sort">
          {ISSUE_SORTS.map((sort) => (
            <Link key={sort} href={withParams(here, { sort: sort === "events" ? undefined : sort })} aria-current={sort === own.sort ? "true" : undefined}>
              {SORT_LABELS[sort]}
            </Link>
          ))}
        </nav>
        <ExportLinks href={apiHref("/api/custom-events", view.scope, { q, sort: own.sort, limit: 100 })} />
      </div>

      <section className="panel" aria-label="Custom event names">
        {list.events.length === 0 ? (
          <div className="empty">
            <p>{q ? "No custom event name matches." : `No custom events ${view.rangePhrase}.`}</p>
            {!q && <p className="muted">Custom events your site sends through LiveSession show up here by name, with their properties.</p>}
          </div>
        ) : (
          <CustomEventsTable events={list.events} hrefOf={(e) => nameHref(e.name)} selected={name ?? null} now={Date.now()} />
        )}
      </section>
      {(own.cursor || list.nextCursor) && (
        <nav className="pager" aria-label="Pages">
          {own.cursor ? <Link href={here}>← First page</Link> : <span />}
          {list.nextCursor && <Link href={withParams(here, { cursor: list.nextCursor })}>Next page →</Link>}
        </nav>
      )}

      {selected && name !== undefined && (
        <section className="custom-event-detail" aria-label="Properties" data-selected-name={name}>
          <h2 className="section-title">
            <span className="muted">Properties of</span> <span className="custom-event-title">{name || "(unnamed)"}</span>
          </h2>
          {"missing" in selected ? (
            <div className="panel">
              <div className="empty empty-compact">
                <p>No custom events of this name on this website.</p>
              </div>
            </div>
          ) : (
            <>
              <div className="panel chart-panel" aria-label={`Events named ${name} over time`}>
                <TrendChart points={selected.trend.points} series={["Custom"]} bucketMinutes={selected.trend.bucketMinutes} timeZone={selected.trend.timeZone} />
              </div>
              {selected.properties.sample.capped && (
                <p className="notice" role="status" data-sample="capped">
                  Properties are read from the newest {formatCount(selected.properties.sample.limit)}
                  {selected.properties.events !== null ? ` of ${formatCount(selected.properties.events)}` : ""} events of this name.
                </p>
              )}
              <div className="property-layout">
                <div className="panel property-list-panel">
                  <h3 className="panel-title">Keys</h3>
                  {selected.properties.properties.length === 0 ? (
                    <div className="empty empty-compact">
                      <p>These events have no properties.</p>
                    </div>
                  ) : (
                    <ul className="property-list">
                      {selected.properties.properties.map((p) => (
                        <li key={p.key} data-key={p.key} aria-current={p.key === selected.property ? "true" : undefined}>
                          <Link href={nameHref(name, p.key)} className="property-link">
                            <span className="property-key">{p.key}</span>
                            <span className={`type-badge type-${p.type ?? "none"}`}>{p.type ? TYPE_LABELS[p.type] : "no type"}</span>
                            <span className="property-count muted">
                              {formatCount(p.events)}
                              {p.valid < p.events && p.type ? ` · ${formatCount(p.events - p.valid)} mistyped` : ""}
                            </span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
                <div className="panel property-breakdown-panel">
                  {selected.breakdown ? (
                    <>
                      <h3 className="panel-title">
                        <code>{selected.breakdown.property.key}</code>
                      </h3>
                      <PropertyBreakdown result={selected.breakdown} />
                    </>
                  ) : (
                    <div className="empty empty-compact">
                      <p>Choose a key to see its values.</p>
                    </div>
                  )}
                </div>
              </div>
            </>
          )}
        </section>
      )}
    </>
  );
}

/** The chosen name's trend, its property keys and (with `property`, else the first key) a breakdown. */
async function loadSelected(scope: Record<string, string>, name: string, property: string | undefined) {
  const base = customEventPropertiesQuery.parse({ ...scope, name });
  let properties: Awaited<ReturnType<typeof getCustomEventProperties>>;
  try {
    properties = await getCustomEventProperties(base);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { missing: true as const };
    throw error;
  }
  if (!("properties" in properties)) throw new Error("expected the key list");
  const chosen = property ?? properties.properties[0]?.key;
  const [trend, breakdown] = await Promise.all([
    getBreakdown(breakdownQuery.parse({ ...scope, by: "issue", kind: "Custom", issueId: customIssueId(scope.websiteId!, name), limit: 1, series: "1" })),
    chosen === undefined ? null : getCustomEventProperties({ ...base, property: chosen }),
  ]);
  if (!("points" in trend)) throw new Error("expected a series");
  const key = trend.rows[0]?.key;
  return {
    property: chosen,
    properties,
    breakdown: breakdown && "breakdown" in breakdown ? breakdown : null,
    trend: {
      points: trend.points.map((p) => ({ t: p.t, values: { Custom: key ? (p.values[key] ?? 0) : 0 } })),
      bucketMinutes: trend.bucketMinutes,
      timeZone: trend.timeZone,
    },
  };
}
