import type { LiveStatus } from "./live-socket";

const LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** The live connection's state, as a dot and a word (announced politely when it changes). */
export function LiveStatusBadge({ status, title }: { status: LiveStatus; title?: string }) {
  return (
    <span className={`live-status live-status-${status}`} role="status" aria-live="polite" data-live-status={status} title={title}>
      <span className="live-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
