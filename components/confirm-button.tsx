"use client";

import { useState, type KeyboardEvent } from "react";
import { InlineError, NAVIGATING, useAction } from "./forms";

type ConfirmButtonProps = {
  /** The first button ("Remove"). */
  label: string;
  /** Asked before doing it ("Remove Ana from the team?"). */
  question: string;
  /** The second button ("Yes, remove"); defaults to `label`. */
  confirmLabel?: string;
  pendingLabel?: string;
  variant?: "danger" | "primary";
  onConfirm: () => Promise<void | typeof NAVIGATING>;
};

/** A two-step button for destructive actions: click, then confirm (Escape cancels). */
export function ConfirmButton({
  label,
  question,
  confirmLabel = label,
  pendingLabel = "Working…",
  variant = "danger",
  onConfirm,
}: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const { run, pending, error } = useAction(onConfirm);

  if (!confirming) {
    return (
      <button type="button" className={`button button-small button-${variant === "danger" ? "danger-outline" : "secondary"}`} onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !pending) setConfirming(false);
  }

  return (
    <div className={`confirm confirm-${variant}`} role="group" aria-label={question} onKeyDown={onKeyDown}>
      <span className="confirm-question">{question}</span>
      <span className="confirm-buttons">
        <button
          type="button"
          className={`button button-small button-${variant}`}
          disabled={pending}
          onClick={async () => {
            if (await run()) setConfirming(false);
          }}
        >
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" className="button button-small button-secondary" disabled={pending} autoFocus onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </span>
      <InlineError message={error} />
    </div>
  );
}
