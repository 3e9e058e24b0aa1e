import type { AlertState } from "@/lib/alerts/types";
import { STATE_LABELS } from "./describe";

/** An alert's state as a badge. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  return (
    <span className={`badge alert-state alert-state-${state}`} data-state={state}>
      {STATE_LABELS[state]}
    </span>
  );
}
