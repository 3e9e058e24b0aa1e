"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { CopyButton } from "./copy-button";

/**
 * A one-time reveal of a secret (webhook secret, API token, invitation link): the value in a
 * read-only box with a copy button, and a warning that it will not be shown again.
 */
export function Reveal({
  title,
  value,
  what,
  children,
  onDismiss,
}: {
  title: string;
  value: string;
  /** What the value is, for the copy button's label ("secret", "token", "link"). */
  what: string;
  children?: ReactNode;
  onDismiss: () => void;
}) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);

  // Move focus here so keyboard and screen-reader users land on the value.
  useEffect(() => {
    ref.current?.focus();
  }, [value]);

  return (
    <section className="reveal" ref={ref} tabIndex={-1} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p className="reveal-warning">
        <strong>Copy it now: it won&apos;t be shown again.</strong> {children}
      </p>
      <div className="reveal-value">
        <input
          readOnly
          value={value}
          aria-label={title}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={value} what={what} />
      </div>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onDismiss}>
          Done, I&apos;ve copied it
        </button>
      </div>
    </section>
  );
}
