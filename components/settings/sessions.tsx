"use client";

import { useCallback, useEffect, useState } from "react";
import { authClient } from "@/lib/auth/client";
import { goToSignIn } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { Alert, NAVIGATING, useAction } from "../forms";
import { Time } from "../time";
import { Empty } from "./load-state";
import { describeUserAgent } from "./user-agent";

type SessionRow = {
  id: string;
  token: string;
  createdAt: Date;
  expiresAt: Date;
  ipAddress?: string | null;
  userAgent?: string | null;
};

type AuthFailure = { status: number; code?: string; message?: string };

type State =
  | { kind: "loading" }
  | { kind: "stale" }
  | { kind: "failed"; message: string }
  | { kind: "loaded"; sessions: SessionRow[]; currentId: string | null };

/** Better Auth failures as something to show; a lost session goes to the sign-in page. */
function failureMessage(error: AuthFailure): string {
  if (error.status === 401) goToSignIn();
  if (error.status === 429) return "Too many requests, try again in a few minutes.";
  return error.message || `The request failed (HTTP ${error.status}).`;
}

function sortSessions(sessions: SessionRow[], currentId: string | null): SessionRow[] {
  return [...sessions].sort((a, b) => {
    if (a.id === currentId) return -1;
    if (b.id === currentId) return 1;
    return new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();
  });
}

/** Listing sessions needs a recent sign-in (Better Auth's "fresh session"): offer one. */
function SignInAgain() {
  const { run, pending, error } = useAction(async () => {
    await authClient.signOut();
    window.location.assign(`/sign-in?next=${encodeURIComponent("/settings/account")}`);
    return NAVIGATING;
  });
  return (
    <div className="panel-message">
      <p>For your security, the list of sessions needs a recent sign-in. Sign in again to see it.</p>
      {error ? <Alert>{error}</Alert> : null}
      <button type="button" className="button button-primary" onClick={() => void run()} disabled={pending}>
        {pending ? "Signing out…" : "Sign in again"}
      </button>
    </div>
  );
}

export function SessionsList() {
  const [state, setState] = useState<State>({ kind: "loading" });

  const load = useCallback(async () => {
    setState({ kind: "loading" });
    const [list, current] = await Promise.all([authClient.listSessions(), authClient.getSession()]);
    if (list.error) {
      if (list.error.status === 403 && list.error.code === "SESSION_NOT_FRESH") setState({ kind: "stale" });
      else setState({ kind: "failed", message: failureMessage(list.error) });
      return;
    }
    const currentId = current.data?.session.id ?? null;
    setState({ kind: "loaded", sessions: sortSessions(list.data, currentId), currentId });
  }, []);

  useEffect(() => {
    load().catch(() => setState({ kind: "failed", message: "Could not reach the server. Check your connection and try again." }));
  }, [load]);

  if (state.kind === "loading") {
    return (
      <p className="panel-message muted" aria-busy="true">
        Loading sessions…
      </p>
    );
  }
  if (state.kind === "stale") return <SignInAgain />;
  if (state.kind === "failed") {
    return (
      <div className="panel-message">
        <Alert>Could not load your sessions: {state.message}</Alert>
        <button type="button" className="button button-secondary" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }

  const { sessions, currentId } = state;
  const others = sessions.filter((session) => session.id !== currentId);
  const drop = (ids: (id: string) => boolean) =>
    setState((previous) => (previous.kind === "loaded" ? { ...previous, sessions: previous.sessions.filter((session) => !ids(session.id)) } : previous));

  return (
    <>
      <div className="panel">
        {sessions.length === 0 ? (
          <Empty>No active sessions.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Device</th>
                <th>IP address</th>
                <th>Signed in</th>
                <th>Expires</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id}>
                  <td>
                    <div>
                      <span className="strong">{describeUserAgent(session.userAgent)}</span>
                      {session.id === currentId ? <span className="badge badge-ok">this device</span> : null}
                    </div>
                    {session.userAgent ? <div className="muted small wrap-anywhere user-agent">{session.userAgent}</div> : null}
                  </td>
                  <td>
                    <code className="small">{session.ipAddress || "—"}</code>
                  </td>
                  <td>
                    <Time value={session.createdAt} />
                  </td>
                  <td>
                    <Time value={session.expiresAt} relative />
                  </td>
                  <td className="actions-cell">
                    {session.id === currentId ? (
                      <span className="muted small">Use “Sign out”</span>
                    ) : (
                      <ConfirmButton
                        label="Revoke"
                        question="Sign this device out?"
                        confirmLabel="Yes, revoke"
                        pendingLabel="Revoking…"
                        onConfirm={async () => {
                          const { error } = await authClient.revokeSession({ token: session.token });
                          if (error) throw new Error(failureMessage(error));
                          drop((id) => id === session.id);
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {others.length > 0 ? (
        <div className="form-actions">
          <ConfirmButton
            label="Sign out everywhere else"
            question={`Sign out the ${others.length === 1 ? "other device" : `${others.length} other devices`}? This one stays signed in.`}
            confirmLabel="Yes, sign them out"
            pendingLabel="Signing out…"
            onConfirm={async () => {
              const { error } = await authClient.revokeOtherSessions();
              if (error) throw new Error(failureMessage(error));
              drop((id) => id !== currentId);
            }}
          />
        </div>
      ) : null}
    </>
  );
}
