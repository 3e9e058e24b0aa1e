import type { getIssueCorrelations } from "@/lib/queries/get-issue-correlations";
import { count, percent } from "./status";

type Correlations = Awaited<ReturnType<typeof getIssueCorrelations>>;

/**
 * Visitor params over-represented among the issue's affected visitors: for each name = value,
 * its share among affected visitors and among all active visitors, and their ratio (lift).
 * Names and values come from visitors' browsers and are shown as text.
 */
export function CorrelationsTable({ correlations }: { correlations: Correlations }) {
  const { params, affectedVisitors, visitors, minVisitors, sampled } = correlations;
  if (params.length === 0) {
    return (
      <div className="empty empty-compact">
        <p>
          {affectedVisitors < minVisitors
            ? `Too few affected visitors in this range to compare (${count(affectedVisitors)}; ${minVisitors} needed).`
            : `No visitor param value is shared by ${minVisitors} or more affected visitors.`}
        </p>
      </div>
    );
  }
  return (
    <table className="correlations-table">
      <caption className="muted small">
        {sampled
          ? `A sample: ${count(affectedVisitors)} visitors of the issue's latest events against ${count(visitors)} recently active visitors`
          : `${count(affectedVisitors)} affected of ${count(visitors)} active visitors`}
        ; values held by at least {minVisitors} affected visitors.
      </caption>
      <thead>
        <tr>
          <th>Param</th>
          <th>Value</th>
          <th className="num">Affected</th>
          <th className="num">All visitors</th>
          <th className="num">Lift</th>
        </tr>
      </thead>
      <tbody>
        {params.map((p) => (
          <tr key={`${p.name}\u0000${p.value}`} data-param={p.name} data-value={p.value}>
            <td>
              <code className="wrap-anywhere">{p.name}</code>
            </td>
            <td>
              <code className="wrap-anywhere">{p.value}</code>
            </td>
            <td className="num">
              {percent(p.affectedShare)} <span className="muted">({count(p.affected)})</span>
            </td>
            <td className="num">
              {percent(p.overallShare)} <span className="muted">({count(p.overall)})</span>
            </td>
            <td className={p.lift >= 1.5 ? "num lift lift-high" : "num lift"} data-lift={p.lift.toFixed(2)}>
              ×{p.lift.toFixed(2)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
