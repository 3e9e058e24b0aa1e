import type { IssueStatus } from "@/lib/issues/states";

export const STATUS_LABELS: Record<IssueStatus, string> = { open: "Open", resolved: "Resolved", ignored: "Ignored", regressed: "Regressed" };

/** An issue's stored state as a badge. */
export function StatusBadge({ status }: { status: IssueStatus }) {
  return (
    <span className={`badge status-badge status-${status}`} data-state={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
