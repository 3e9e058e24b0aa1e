import { formatCount } from "@/components/format";

/** Colours of the statuses in a URL's trend and bars (most frequent first). */
export const STATUS_COLORS = ["#e0822b", "#d9363e", "#b0399e", "#4f7cff", "#15a38a", "#e8a13a", "#8a8a96"];

type BarRow = { key: string; label: string; events: number; color?: string };

const percent = (n: number, total: number) => (total > 0 ? `${Math.round((n / total) * 100)}%` : "");

/** A small panel of horizontal bars (labels as text), the longest row full width, the rest as "Other". */
export function UrlBars({ title, name, rows, total, other = 0 }: { title: string; name: string; rows: BarRow[]; total: number; other?: number }) {
  const max = Math.max(0, ...rows.map((r) => r.events));
  return (
    <section className="panel breakdown-panel" aria-label={title} data-bars={name}>
      <h3 className="panel-title">{title}</h3>
      {rows.length === 0 ? (
        <div className="empty empty-compact">
          <p>Nothing in this range</p>
        </div>
      ) : (
        <ul className="bar-list">
          {rows.map((row) => (
            <li key={row.key} className="bar-row" data-key={row.key}>
              <div className="bar-head">
                {row.color && <span className="swatch" style={{ background: row.color }} aria-hidden="true" />}
                <span className="bar-label" title={row.label}>
                  {row.label}
                </span>
                <span className="bar-share muted">{percent(row.events, total)}</span>
                <span className="bar-count">{formatCount(row.events)}</span>
              </div>
              <div className="bar-track" aria-hidden="true">
                <div className="bar-fill" style={{ width: `${max > 0 ? Math.max((row.events / max) * 100, row.events > 0 ? 1 : 0) : 0}%` }}>
                  <span style={{ flexGrow: 1, background: row.color ?? "var(--net)" }} />
                </div>
              </div>
            </li>
          ))}
          {other > 0 && (
            <li className="bar-row bar-row-other" data-key="other">
              <div className="bar-head">
                <span className="bar-label">Other</span>
                <span className="bar-share muted">{percent(other, total)}</span>
                <span className="bar-count">{formatCount(other)}</span>
              </div>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
