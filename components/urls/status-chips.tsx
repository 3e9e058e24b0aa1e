import Link from "next/link";

/** A status's colour class: server errors red, client errors amber, anything else grey. */
export function statusClass(status: number | null): string {
  if (status === null) return "status-chip status-none";
  if (status >= 500) return "status-chip status-5xx";
  if (status >= 400) return "status-chip status-4xx";
  return "status-chip status-other";
}

export function statusLabel(status: number | null): string {
  return status === null ? "no status" : String(status);
}

/** The statuses an endpoint failed with, most frequent first, each with its count. */
export function StatusChips({
  statuses,
  hrefOf,
}: {
  statuses: { status: number | null; events: number }[];
  /** A link narrowing the list to one status (none for a missing status). */
  hrefOf?: (status: number) => string;
}) {
  return (
    <ul className="status-chips" aria-label="Statuses">
      {statuses.map((s) => {
        const title = `${s.events.toLocaleString("en-US")} failures with status ${statusLabel(s.status)}`;
        const body = (
          <>
            {statusLabel(s.status)}
            <span className="status-count">×{s.events.toLocaleString("en-US")}</span>
          </>
        );
        return (
          <li key={String(s.status)} className={statusClass(s.status)} title={title} data-status={s.status ?? ""}>
            {hrefOf && s.status !== null ? <Link href={hrefOf(s.status)}>{body}</Link> : body}
          </li>
        );
      })}
    </ul>
  );
}

/** HTTP method as a small badge (text only: it came from a visitor's browser). */
export function MethodBadge({ method }: { method: string | null }) {
  return <span className="method-badge">{method || "—"}</span>;
}

/** Fractions as the URL pages show them: "57.1%", "<0.1%" for tiny non-zero shares. */
export function formatShare(share: number): string {
  if (share === 0) return "0%";
  if (share < 0.001) return "<0.1%";
  return `${(share * 100).toFixed(1).replace(/\.0$/, "")}%`;
}

/** Failures per hour: two decimals below 10, whole numbers above. */
export function formatRate(perHour: number): string {
  if (perHour === 0) return "0";
  if (perHour < 0.01) return "<0.01";
  return perHour < 10 ? perHour.toFixed(2).replace(/\.?0+$/, "") : Math.round(perHour).toLocaleString("en-US");
}
