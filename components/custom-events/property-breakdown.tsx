import type { getCustomEventProperties } from "@/lib/queries/get-custom-event-properties";
import { formatCount } from "@/components/format";

type Result = Awaited<ReturnType<typeof getCustomEventProperties>>;
type WithBreakdown = Extract<Result, { breakdown: unknown }>;

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : "0%");
const number = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: 4 }));
/** A bucket edge, short enough to sit under a bar: three significant digits ("1.23k"). */
const edgeLabel = (n: number) => n.toLocaleString("en-US", { maximumSignificantDigits: 3, notation: Math.abs(n) >= 10_000 ? "compact" : "standard" });

export const TYPE_LABELS: Record<string, string> = { str: "string", int: "integer", float: "number", bool: "boolean" };

function Bar({ label, value, max, total, other = false }: { label: string; value: number; max: number; total: number; other?: boolean }) {
  return (
    <li className={other ? "bar-row bar-row-other" : "bar-row"} data-value={other ? undefined : label}>
      <div className="bar-head">
        <span className="bar-label" title={label}>
          {label}
        </span>
        <span className="bar-share muted">{percent(value, total)}</span>
        <span className="bar-count">{formatCount(value)}</span>
      </div>
      <div className="bar-track" aria-hidden="true">
        <div className="bar-fill" style={{ width: `${max > 0 ? Math.max((value / max) * 100, value > 0 ? 1 : 0) : 0}%` }}>
          <span style={{ flexGrow: 1, background: "var(--custom)" }} />
        </div>
      </div>
    </li>
  );
}

/**
 * One property's breakdown: top values with the rest as "Other", a histogram with summary
 * statistics, or the true/false split. Values came from visitors' browsers: text only.
 */
export function PropertyBreakdown({ result }: { result: WithBreakdown }) {
  const { property, breakdown } = result;
  return (
    <div className="property-breakdown" data-property={property.key}>
      <p className="muted small property-coverage">
        {formatCount(property.valid)} of {formatCount(result.sample.rows)} events have {property.type ? `a ${TYPE_LABELS[property.type]}` : "a"} value
        {property.missing > 0 ? ` · ${formatCount(property.missing)} without it` : ""}
        {property.mismatched > 0 ? ` · ${formatCount(property.mismatched)} of another type (not counted)` : ""}
      </p>
      {breakdown.kind === "values" && <Values breakdown={breakdown} />}
      {breakdown.kind === "boolean" && <Boolean breakdown={breakdown} />}
      {breakdown.kind === "numeric" && <Numeric breakdown={breakdown} integer={property.type === "int"} />}
    </div>
  );
}

function Values({ breakdown }: { breakdown: Extract<WithBreakdown["breakdown"], { kind: "values" }> }) {
  if (breakdown.values.length === 0) return <div className="empty empty-compact"><p>No values in this range</p></div>;
  const total = breakdown.values.reduce((s, v) => s + v.events, 0) + breakdown.other;
  const max = Math.max(...breakdown.values.map((v) => v.events));
  return (
    <ul className="bar-list" aria-label="Top values">
      {breakdown.values.map((v) => (
        <Bar key={v.value} label={v.value === "" ? "(empty)" : v.value} value={v.events} max={max} total={total} />
      ))}
      {breakdown.other > 0 && <Bar label="Other values" value={breakdown.other} max={max} total={total} other />}
    </ul>
  );
}

function Boolean({ breakdown }: { breakdown: Extract<WithBreakdown["breakdown"], { kind: "boolean" }> }) {
  const total = breakdown.true + breakdown.false;
  if (total === 0) return <div className="empty empty-compact"><p>No values in this range</p></div>;
  return (
    <div className="bool-split">
      <div className="bool-bar" role="img" aria-label={`true ${percent(breakdown.true, total)}, false ${percent(breakdown.false, total)}`}>
        <span className="bool-true" style={{ flexGrow: breakdown.true }} />
        <span className="bool-false" style={{ flexGrow: breakdown.false }} />
      </div>
      <dl className="bool-legend">
        <div data-value="true">
          <dt><span className="swatch bool-true" aria-hidden="true" /> true</dt>
          <dd>{formatCount(breakdown.true)} · {percent(breakdown.true, total)}</dd>
        </div>
        <div data-value="false">
          <dt><span className="swatch bool-false" aria-hidden="true" /> false</dt>
          <dd>{formatCount(breakdown.false)} · {percent(breakdown.false, total)}</dd>
        </div>
      </dl>
    </div>
  );
}

function Numeric({ breakdown, integer }: { breakdown: Extract<WithBreakdown["breakdown"], { kind: "numeric" }>; integer: boolean }) {
  if (breakdown.count === 0) return <div className="empty empty-compact"><p>No values in this range</p></div>;
  const max = Math.max(...breakdown.buckets.map((b) => b.events));
  // Integers: [from, to - 1] inclusive; numbers: [from, to), the last bucket closed.
  const edge = (b: { from: number; to: number }) =>
    integer ? (b.to - b.from === 1 ? number(b.from) : `${number(b.from)} to ${number(b.to - 1)}`) : `${number(b.from)} to ${number(b.to)}`;
  const short = (b: { from: number; to: number }) => (integer && b.to - b.from > 1 ? `${edgeLabel(b.from)}–${edgeLabel(b.to - 1)}` : edgeLabel(b.from));
  return (
    <>
      <dl className="stats-grid">
        {(
          [
            ["Count", breakdown.count],
            ["Min", breakdown.min],
            ["Avg", breakdown.avg],
            ["p50", breakdown.p50],
            ["p90", breakdown.p90],
            ["p95", breakdown.p95],
            ["p99", breakdown.p99],
            ["Max", breakdown.max],
          ] as const
        ).map(([label, value]) => (
          <div key={label} data-stat={label}>
            <dt>{label}</dt>
            <dd>{number(value)}</dd>
          </div>
        ))}
      </dl>
      <ol className="histogram" aria-label="Distribution">
        {breakdown.buckets.map((b, i) => (
          <li key={i} title={`${edge(b)}: ${formatCount(b.events)}`} data-events={b.events}>
            <span className="histogram-count">{b.events > 0 ? formatCount(b.events) : ""}</span>
            <span className="histogram-bar" style={{ height: `${max > 0 ? (b.events / max) * 100 : 0}%` }} />
            <span className="histogram-label">{short(b)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
