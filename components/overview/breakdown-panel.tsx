import { BreakdownTrendChart, type BreakdownPoint, type BreakdownSeries } from "@/components/charts/breakdown-chart";
import { kindColor, OTHER_COLOR } from "@/components/charts/kind-colors";
import { FilterLink } from "@/components/view/controls";
import Link from "next/link";
import { countryLabel } from "@/components/country";
import type { getBreakdown } from "@/lib/queries/get-breakdown";
import { formatCount } from "@/components/format";
import { pageHref, type RowLink } from "./links";

type Breakdown = Awaited<ReturnType<typeof getBreakdown>>;
type Row = { key: string; label: string; title: string; events: number; byKind: Record<string, number> };

/** Colours of the top rows in a breakdown's trend (and their swatches in the list); the rest is grey. */
export const SERIES_COLORS = ["#4f7cff", "#15a38a", "#e8a13a", "#e5577a", "#9b6cf0"];

const short = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function KindBar({ row, max, kinds }: { row: Row; max: number; kinds: string[] }) {
  const width = max > 0 ? (row.events / max) * 100 : 0;
  return (
    <div className="bar-track" aria-hidden="true">
      <div className="bar-fill" style={{ width: `${Math.max(width, row.events > 0 ? 1 : 0)}%` }}>
        {kinds
          .filter((kind) => (row.byKind[kind] ?? 0) > 0)
          .map((kind) => (
            <span key={kind} style={{ flexGrow: row.byKind[kind], background: kindColor(kind) }} />
          ))}
      </div>
    </div>
  );
}

function RowLabel({ row, link }: { row: Row; link?: RowLink }) {
  if (!link) {
    return (
      <span className="bar-label" title={row.title}>
        {row.label}
      </span>
    );
  }
  return "page" in link ? (
    <Link href={pageHref(`${link.page}${encodeURIComponent(row.key)}`, link.search)} className="bar-label" title={row.title}>
      {row.label}
    </Link>
  ) : (
    <FilterLink set={{ [link.filter]: row.key }} className="bar-label" title={`Filter by ${row.title}`}>
      {row.label}
    </FilterLink>
  );
}

/**
 * A breakdown panel: the top rows as a horizontal bar list (bars stacked by kind, the longest
 * row full width) with the rest as "Other", and, when the breakdown has a series, a small
 * trend of those rows. Every label (a URL, a visitor's name) is rendered as text. Its props are
 * data, so the server renders it and the overview's live sections re-render it in the browser.
 */
export function BreakdownPanel({
  title,
  breakdown,
  by,
  link,
}: {
  title: string;
  breakdown: Breakdown;
  by: "country" | "url" | "visitor";
  /** Where a row's label leads: a page of ours for its key, or this view filtered by its key. */
  link?: RowLink;
}) {
  const rows: Row[] = breakdown.rows.map((r) => {
    const label = by === "country" ? countryLabel(r.label) : r.label;
    return { key: r.key, label, title: by === "visitor" && r.label !== r.key ? `${r.label} (${r.key})` : label, events: r.events, byKind: r.byKind };
  });
  const other: Row | null =
    breakdown.other.events > 0 ? { key: "other", label: "Other", title: "Everything else", events: breakdown.other.events, byKind: breakdown.other.byKind } : null;
  const listed = other ? [...rows, other] : rows;
  // Bars are scaled to the largest top row: "Other" (often larger than any row) shows its
  // share of the total instead of a bar, so it cannot squash the rows.
  const max = Math.max(0, ...rows.map((r) => r.events));
  const share = (n: number) => (breakdown.total > 0 ? `${Math.round((n / breakdown.total) * 100)}%` : "");
  const hasSeries = "points" in breakdown;
  const colorOf = (i: number) => (i < rows.length ? SERIES_COLORS[i % SERIES_COLORS.length]! : OTHER_COLOR);

  let chart: { points: BreakdownPoint[]; series: BreakdownSeries[]; bucketMinutes: number; timeZone: string } | null = null;
  if ("points" in breakdown && rows.length > 0) {
    const keys = [...breakdown.rows.map((r) => r.key), ...(other ? ["other"] : [])];
    chart = {
      points: breakdown.points.map((p) => ({ t: p.t, values: keys.map((key) => p.values[key] ?? 0) })),
      series: listed.map((r, i) => ({ name: short(r.label, 40), color: colorOf(i), rest: r === other })),
      bucketMinutes: breakdown.bucketMinutes,
      timeZone: breakdown.timeZone,
    };
  }

  return (
    <section className="panel breakdown-panel" aria-label={title} data-breakdown={by}>
      <h3 className="panel-title">{title}</h3>
      {listed.length === 0 ? (
        <div className="empty empty-compact">
          <p>No errors in this range</p>
        </div>
      ) : (
        <>
          <ol className="bar-list">
            {listed.map((row, i) => (
              <li key={row.key} className={row === other ? "bar-row bar-row-other" : "bar-row"} data-key={row === other ? undefined : row.key}>
                <div className="bar-head">
                  {hasSeries ? <span className="swatch" style={{ background: colorOf(i) }} aria-hidden="true" /> : null}
                  <RowLabel row={row} link={row === other ? undefined : link} />
                  {row === other ? <span className="bar-share muted">{share(row.events)} of all</span> : null}
                  <span className="bar-count">{formatCount(row.events)}</span>
                </div>
                {row === other ? null : <KindBar row={row} max={max} kinds={breakdown.kinds} />}
              </li>
            ))}
          </ol>
          {chart ? (
            <BreakdownTrendChart
              points={chart.points}
              series={chart.series}
              bucketMinutes={chart.bucketMinutes}
              timeZone={chart.timeZone}
              label={`${title}: the top ${rows.length} and the rest over time`}
            />
          ) : null}
        </>
      )}
    </section>
  );
}
