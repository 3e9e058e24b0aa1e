"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="error-state" role="alert">
      <h1>This page could not be loaded</h1>
      <p className="muted">The database may be unavailable. The server log has the details.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
