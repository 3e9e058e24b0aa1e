import { Sparkline } from "@/components/charts/sparkline";
import { formatDateTime, formatRelative } from "@/components/format";
import { kindClass, type DerivedStatus } from "@/components/issues/status";

// Cells the dashboard's list tables share (issues, a visitor's issues, URLs, custom events).

/** "3 hours ago" relative to `now` (when the page was rendered), the exact time on hover. */
export function TimeCell({ at, now, title, label }: { at: string; now: number; title?: string; label?: string }) {
  return (
    <td className="time" data-label={label}>
      <time dateTime={at} title={title ?? formatDateTime(at)}>
        {formatRelative(at, now)}
      </time>
    </td>
  );
}

/** The range's trend as an inline SVG sparkline. */
export function TrendCell({ values, color, label }: { values: number[]; color: string; label: string }) {
  return (
    <td className="spark-cell">
      <Sparkline values={values} color={color} label={label} />
    </td>
  );
}

/** An event kind as a coloured tag ("JSError"; anything unexpected in the neutral colour). */
export function KindBadge({ kind }: { kind: string }) {
  return <span className={kindClass(kind)}>{kind}</span>;
}

/** An issue's kind and its derived New/Ongoing badge. */
export function IssueMeta({ kind, status }: { kind: string; status: DerivedStatus }) {
  return (
    <div className="issue-meta">
      <KindBadge kind={kind} />
      <span className={status === "New" ? "badge badge-new" : "badge badge-ongoing"} data-status={status}>
        {status}
      </span>
    </div>
  );
}
