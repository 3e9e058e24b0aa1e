"use client";

import Link from "next/link";
import { apiFetch } from "../api-client";
import { capitalize, formatDateTime, formatRelative } from "../format";
import { Alert } from "../forms";
import { describeRole } from "../roles";
import { useApiData } from "../use-api-data";
import { NewAccountForm } from "./new-account-form";

type Invitation = { role: string; expiresAt: string };

function InvalidLink({ status, message }: { status: number | null; message: string }) {
  if (status === 404 || status === 410) {
    return (
      <>
        <Alert>{status === 404 ? "This invitation link is not valid." : "This invitation link has expired or was already used."}</Alert>
        <p className="muted">
          {status === 404
            ? "Check that you opened the whole link, or ask an admin of your team for a new one."
            : "Invitation links work once and for a limited time. Ask an admin of your team for a new one."}
        </p>
        <p>
          Already have an account? <Link href="/sign-in">Sign in</Link>
        </p>
      </>
    );
  }
  return <Alert>{message}</Alert>;
}

/** Checks an invitation link, then creates the invited account and signs it in. */
export function InviteForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const { data, error, status, loading, reload } = useApiData<Invitation>(`/api/invitations/${encodeURIComponent(token)}`);

  if (loading && !data) return <p className="muted" aria-busy="true">Checking your invitation…</p>;
  if (error || !data) {
    return (
      <>
        <InvalidLink status={status} message={error ?? "Could not check the invitation."} />
        {status !== 404 && status !== 410 ? (
          <button type="button" className="button button-secondary" onClick={reload}>
            Try again
          </button>
        ) : null}
      </>
    );
  }

  return (
    <>
      <p className="invite-offer">
        You are invited to join as <span className={`role role-${data.role}`}>{data.role}</span>
        <span className="muted"> ({capitalize(describeRole(data.role))}).</span>
      </p>
      <p className="muted">
        The link expires <time dateTime={data.expiresAt} title={formatDateTime(data.expiresAt)}>{formatRelative(data.expiresAt)}</time> and works once.
      </p>
      <NewAccountForm
        label="Create your account"
        minPasswordLength={minPasswordLength}
        create={(account) => apiFetch("/api/invitations/accept", { method: "POST", json: { token, ...account }, redirectOn401: false })}
      />
    </>
  );
}
