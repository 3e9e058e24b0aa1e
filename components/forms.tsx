"use client";

import {
  useId,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from "react";
import { errorMessage } from "./api-client";
import { capitalize } from "./format";

/** An alert box; errors are announced to screen readers right away. */
export function Alert({ kind = "error", children }: { kind?: "error" | "success" | "info"; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** A short error next to the control that caused it (nothing when there is none), announced at once. */
export function InlineError({ message }: { message: string | null | undefined }) {
  return message ? (
    <span className="error-text" role="alert">
      {message}
    </span>
  ) : null;
}

type FieldProps = { label: string; hint?: ReactNode; labelHidden?: boolean } & InputHTMLAttributes<HTMLInputElement>;

/**
 * A labelled input (the label is bound to it), with an optional hint under it. `labelHidden`
 * keeps the label for screen readers only (inline edits in a table).
 */
export function Field({ label, hint, labelHidden = false, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id} className={labelHidden ? "sr-only" : undefined}>
        {label}
      </label>
      <input id={id} aria-describedby={hint ? hintId : undefined} {...input} />
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type SelectFieldProps = {
  label: string;
  options: readonly string[];
  hint?: ReactNode;
  labelHidden?: boolean;
} & SelectHTMLAttributes<HTMLSelectElement>;

/** A labelled select over plain string options (shown capitalized). */
export function SelectField({ label, options, hint, labelHidden = false, className, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id} className={labelHidden ? "sr-only" : undefined}>
        {label}
      </label>
      <select id={id} aria-describedby={hint ? hintId : undefined} {...select}>
        {options.map((option) => (
          <option key={option} value={option}>
            {capitalize(option)}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** Reads a form field as a string ("" when missing). */
export function formText(data: FormData, name: string, { trim = true } = {}): string {
  const value = data.get(name);
  if (typeof value !== "string") return "";
  return trim ? value.trim() : value;
}

/** Return this from a form's submit handler when it navigates away: the button stays busy. */
export const NAVIGATING = "navigating";

type ApiFormProps = {
  /** Does the work; throw to show the error's message above the submit button. */
  onSubmit: (data: FormData) => Promise<void | typeof NAVIGATING>;
  submitLabel: string;
  pendingLabel?: string;
  /** Clear the inputs after a successful submit. */
  resetOnSuccess?: boolean;
  /** Extra buttons next to the submit button (e.g. Cancel). */
  actions?: ReactNode;
  className?: string;
  "aria-label"?: string;
  children: ReactNode;
};

/**
 * A form that runs an async action: Enter submits, the submit button shows "Saving…" and is
 * disabled while the action runs, and a failure shows the error's message in an alert.
 */
export function ApiForm({
  onSubmit,
  submitLabel,
  pendingLabel = "Saving…",
  resetOnSuccess = false,
  actions,
  className,
  children,
  ...rest
}: ApiFormProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = event.currentTarget;
    setPending(true);
    setError(null);
    let keepPending = false;
    try {
      keepPending = (await onSubmit(new FormData(form))) === NAVIGATING;
      if (resetOnSuccess) form.reset();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      if (!keepPending) setPending(false);
    }
  }

  return (
    <form className={`form ${className ?? ""}`} onSubmit={handleSubmit} aria-busy={pending} aria-label={rest["aria-label"]}>
      {children}
      {error ? <Alert>{error}</Alert> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}

/**
 * Runs one async action at a time (a button's click): `pending` while it runs, `error` holds
 * the message when it failed.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void | typeof NAVIGATING>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(...args: A): Promise<boolean> {
    if (pending) return false;
    setPending(true);
    setError(null);
    let keepPending = false;
    try {
      keepPending = (await action(...args)) === NAVIGATING;
      return true;
    } catch (caught) {
      setError(errorMessage(caught));
      return false;
    } finally {
      if (!keepPending) setPending(false);
    }
  }
  return { run, pending, error, clearError: () => setError(null) };
}
