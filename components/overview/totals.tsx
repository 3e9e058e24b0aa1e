import { kindColor } from "@/components/charts/kind-colors";
import type { getTotals } from "@/lib/queries/get-totals";
import { formatCount } from "@/components/format";

export type Totals = Awaited<ReturnType<typeof getTotals>>;
type Figure = keyof Totals["current"];

/** The figures, in order; `bad` figures are errors (an increase is bad news), the rest neutral. */
const FIGURES: { key: Figure; label: string; bad: boolean }[] = [
  { key: "JSError", label: "JS errors", bad: true },
  { key: "NetError", label: "Network errors", bad: true },
  { key: "ErrorClick", label: "Error clicks", bad: true },
  { key: "RageClick", label: "Rage clicks", bad: true },
  { key: "Custom", label: "Custom events", bad: false },
  { key: "affectedVisitors", label: "Affected visitors", bad: true },
];


function Change({ now, before, bad }: { now: number; before: number; bad: boolean }) {
  const tone = (worse: boolean) => (bad ? (worse ? "delta-bad" : "delta-good") : "delta-neutral");
  if (before === 0) {
    return now === 0 ? (
      <span className="delta delta-neutral">no change</span>
    ) : (
      <span className={`delta ${tone(true)}`}>new</span>
    );
  }
  const pct = ((now - before) / before) * 100;
  if (now === before) return <span className="delta delta-neutral">0%</span>;
  const shown = Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)).toLocaleString("en-US") : Math.abs(pct).toFixed(1).replace(/\.0$/, "");
  const up = now > before;
  return (
    <span className={`delta ${tone(up)}`}>
      <span aria-hidden="true">{up ? "▲" : "▼"} </span>
      <span className="sr-only">{up ? "up " : "down "}</span>
      {shown}%
    </span>
  );
}

/** One card per figure: the count in the range and its change against the period before. */
export function TotalsCards({ totals, periodLabel }: { totals: Totals; periodLabel: string }) {
  return (
    <section className="totals-grid" aria-label="Totals">
      {FIGURES.map(({ key, label, bad }) => {
        const now = totals.current[key];
        const before = totals.previous[key];
        return (
          <div key={key} className="total-card" data-figure={key}>
            <div className="total-label">
              {key !== "affectedVisitors" ? <span className="kind-dot" style={{ background: kindColor(key) }} aria-hidden="true" /> : null}
              {label}
            </div>
            <div className="total-value">{formatCount(now)}</div>
            <div className="total-change" title={`${formatCount(before)} in the previous ${periodLabel}`}>
              <Change now={now} before={before} bad={bad} /> <span className="muted">vs {formatCount(before)}</span>
            </div>
          </div>
        );
      })}
    </section>
  );
}
