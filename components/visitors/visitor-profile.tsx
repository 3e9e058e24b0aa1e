import { kindColor } from "@/components/charts/kind-colors";
import type { getVisitor } from "@/lib/queries/get-visitor";
import { valueText } from "./visitor-timeline";
import { formatCount } from "@/components/format";

type Visitor = Awaited<ReturnType<typeof getVisitor>>;

const KIND_ORDER = ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"];
const KIND_LABELS: Record<string, string> = {
  JSError: "JS errors",
  NetError: "Network errors",
  ErrorClick: "Error clicks",
  RageClick: "Rage clicks",
  Custom: "Custom events",
};

/** Who the visitor is: identity, where they are, when we saw them. */
export function VisitorProfile({ data, timeZone, countryName }: { data: Visitor; timeZone: string; countryName: string | null }) {
  const v = data.visitor;
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <dl className="details visitor-details">
      <dt>Name</dt>
      <dd data-field="name">{v.name ?? <span className="muted">not identified</span>}</dd>
      <dt>Email</dt>
      <dd data-field="email" className="wrap-anywhere">
        {v.email ?? <span className="muted">not identified</span>}
      </dd>
      <dt>Visitor id</dt>
      <dd data-field="id">
        <code className="wrap-anywhere">{v.id}</code>
      </dd>
      <dt>Location</dt>
      <dd data-field="location">
        {[v.city, v.region, countryName ?? v.countryCode].filter(Boolean).join(", ") || <span className="muted">unknown</span>}
        {countryName && v.countryCode ? <span className="muted"> ({v.countryCode})</span> : null}
      </dd>
      <dt>First seen</dt>
      <dd data-field="firstSeen">
        <time dateTime={v.firstSeen}>{time.format(new Date(v.firstSeen))}</time>
      </dd>
      <dt>Last seen</dt>
      <dd data-field="lastSeen">
        <time dateTime={v.lastSeen}>{time.format(new Date(v.lastSeen))}</time>
      </dd>
    </dl>
  );
}

/** Events per kind: in the range and all time, the known kinds first, then any new ones. */
export function VisitorTotals({ data, rangePhrase }: { data: Visitor; rangePhrase: string }) {
  const { range, allTime } = data.totals;
  const kinds = [...KIND_ORDER, ...Object.keys(allTime).filter((k) => !KIND_ORDER.includes(k)).sort()];
  return (
    <section className="totals-grid visitor-totals" aria-label="Events by kind">
      {kinds.map((kind) => (
        <div key={kind} className="total-card" data-figure={kind}>
          <div className="total-label">
            <span className="kind-dot" style={{ background: kindColor(kind) }} aria-hidden="true" />
            {KIND_LABELS[kind] ?? kind}
          </div>
          <div className="total-value" title={rangePhrase}>
            {formatCount(range[kind] ?? 0)}
          </div>
          <div className="total-change muted">
            <span className="all-time">{formatCount(allTime[kind] ?? 0)}</span> all time
          </div>
        </div>
      ))}
      <div className="total-card" data-figure="frustration">
        <div className="total-label">Frustration</div>
        <div className="total-value">{formatCount(data.frustration)}</div>
        <div className="total-change muted" title="errors × 1 + rage clicks × 3, in the range">
          {formatCount(data.errors)} {data.errors === 1 ? "error" : "errors"} + 3 × {formatCount(data.rageClicks)}
        </div>
      </div>
    </section>
  );
}

/** visitors.params as a table (values as text). */
export function VisitorParams({ params }: { params: Visitor["visitor"]["params"] }) {
  if (params.length === 0) {
    return (
      <div className="empty empty-compact">
        <p>No params: this visitor was not identified with custom params.</p>
      </div>
    );
  }
  return (
    <table className="params-table">
      <thead>
        <tr>
          <th>Param</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {params.map((p, i) => (
          <tr key={`${p.name}-${i}`}>
            <td>
              <code>{p.name}</code>
            </td>
            <td className="wrap-anywhere">
              <code>{valueText(p.value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
