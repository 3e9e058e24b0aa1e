"use client";

import type { ReactNode } from "react";
import { Alert } from "../forms";

/** The loading / failed / loaded states of a list fetched with useApiData. */
export function LoadState({
  loading,
  error,
  reload,
  what,
  children,
}: {
  loading: boolean;
  error: string | null;
  reload: () => void;
  /** What is loading, for the messages ("websites"). */
  what: string;
  children: ReactNode;
}) {
  if (error) {
    return (
      <div className="panel-message">
        <Alert>
          Could not load the {what}: {error}
        </Alert>
        <button type="button" className="button button-secondary" onClick={reload} disabled={loading}>
          {loading ? "Retrying…" : "Try again"}
        </button>
      </div>
    );
  }
  if (loading) {
    return (
      <p className="panel-message muted" aria-busy="true">
        Loading {what}…
      </p>
    );
  }
  return <>{children}</>;
}

/** The message shown in place of an empty table. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
