"use client";

import { useState } from "react";
import type { ChannelType } from "@/lib/alerts/types";
import type { ChannelView, TestResult } from "@/lib/notify/channels";
import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { Alert, ApiForm, Field, formText, SelectField, useAction } from "../forms";
import { Reveal } from "../reveal";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { Empty, LoadState } from "./load-state";
import { Section } from "./section";

const channelPath = (id: string) => `/api/channels/${encodeURIComponent(id)}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function HealthCell({ channel, smtpProblem }: { channel: ChannelView; smtpProblem: string | null }) {
  if (channel.type === "email" && smtpProblem) {
    return (
      <div>
        <span className="badge badge-warning">Not sending</span>
        <div className="danger-text small">{smtpProblem}</div>
      </div>
    );
  }
  if (channel.consecutiveFailures > 0) {
    return (
      <div className={channel.failing ? "danger-text" : undefined} data-failing={channel.failing}>
        {channel.failing ? <span className="badge badge-warning">Failing</span> : null}{" "}
        <span className="small">
          {plural(channel.consecutiveFailures, "failure")} in a row, last <Time value={channel.lastFailureAt} relative />
        </span>
        {channel.lastError ? <div className="small wrap-anywhere">{channel.lastError}</div> : null}
      </div>
    );
  }
  if (channel.lastSuccessAt) return <span className="badge badge-ok">OK</span>;
  return <span className="muted">Nothing sent yet</span>;
}

// Under the buttons of a cell that does not wrap: wrap the error, at the cell's right edge.
const OUTCOME_STYLE = { whiteSpace: "normal", maxWidth: "24rem", marginLeft: "auto", marginTop: "0.35rem" } as const;

function TestOutcome({ result }: { result: TestResult }) {
  const detail = [result.statusCode === null ? null : `${result.statusCode}`, `${result.durationMs} ms`].filter(Boolean).join(", ");
  return (
    <div className={`small ${result.ok ? "" : "error-text"}`} role="status" style={OUTCOME_STYLE}>
      {result.ok ? <strong>Delivered</strong> : <strong>Failed</strong>} <span className="muted">({detail})</span>
      {result.error ? <div className="wrap-anywhere">{result.error}</div> : null}
    </div>
  );
}

function ChannelActions({
  channel,
  onTested,
  onSecret,
  onDeleted,
}: {
  channel: ChannelView;
  onTested: () => void;
  onSecret: (secret: string) => void;
  onDeleted: () => void;
}) {
  const [result, setResult] = useState<TestResult | null>(null);
  const test = useAction(async () => {
    setResult(null);
    const reply = await apiFetch<{ result: TestResult }>(`${channelPath(channel.id)}/test`, { method: "POST" });
    setResult(reply.result);
    onTested();
  });
  const reveal = useAction(async () => {
    const reply = await apiFetch<{ secret: string }>(`${channelPath(channel.id)}/secret`, { method: "POST" });
    onSecret(reply.secret);
  });
  return (
    <div>
      <button type="button" className="button button-small button-secondary" disabled={test.pending} onClick={() => void test.run()}>
        {test.pending ? "Sending…" : "Send test notification"}
      </button>{" "}
      {channel.type === "webhook" ? (
        <>
          <button type="button" className="button button-small button-ghost" disabled={reveal.pending} onClick={() => void reveal.run()}>
            Show secret
          </button>{" "}
        </>
      ) : null}
      <ConfirmButton
        label="Delete"
        question={`Delete “${channel.name}”? Alert rules stop sending to it.`}
        confirmLabel="Yes, delete"
        pendingLabel="Deleting…"
        onConfirm={async () => {
          await apiFetch(channelPath(channel.id), { method: "DELETE" });
          onDeleted();
        }}
      />
      {result ? <TestOutcome result={result} /> : null}
      {test.error || reveal.error ? (
        <div className="error-text small" role="alert">
          {test.error ?? reveal.error}
        </div>
      ) : null}
    </div>
  );
}

function ChannelsTable({
  channels,
  smtpProblem,
  admin,
  reload,
  onSecret,
  onDeleted,
}: {
  channels: ChannelView[];
  smtpProblem: string | null;
  admin: boolean;
  reload: () => void;
  onSecret: (secret: string, channel: ChannelView) => void;
  onDeleted: (id: string) => void;
}) {
  return (
    <table>
      <thead>
        <tr>
          <th>Channel</th>
          <th>Health</th>
          <th>Sends to</th>
          <th>Last success</th>
          {admin ? (
            <th>
              <span className="sr-only">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {channels.map((channel) => (
          <tr key={channel.id} data-channel-id={channel.id}>
            <td>
              <div className="strong wrap-anywhere">{channel.name}</div>
              <span className="role">{channel.type}</span>
            </td>
            <td>
              <HealthCell channel={channel} smtpProblem={smtpProblem} />
            </td>
            <td className="wrap-anywhere">
              {channel.target === null ? <span className="danger-text small">Unreadable: the app key changed. Delete it and create it again.</span> : <code className="small">{channel.target}</code>}
            </td>
            <td>
              <Time value={channel.lastSuccessAt} relative empty="Never" />
            </td>
            {admin ? (
              <td className="actions-cell">
                <ChannelActions channel={channel} onTested={reload} onSecret={(secret) => onSecret(secret, channel)} onDeleted={() => onDeleted(channel.id)} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "a@x.test, b@y.test" or one per line, as a list. */
function parseRecipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

function CreateChannelForm({
  types,
  smtpProblem,
  onCreated,
}: {
  types: readonly ChannelType[];
  smtpProblem: string | null;
  onCreated: (channel: ChannelView, secret: string | null) => void;
}) {
  const [type, setType] = useState<ChannelType>("webhook");
  return (
    <ApiForm
      className="form-row"
      aria-label="Add a channel"
      submitLabel="Add channel"
      pendingLabel="Adding…"
      resetOnSuccess
      onSubmit={async (form) => {
        const name = formText(form, "name");
        const body = type === "email" ? { type, name, recipients: parseRecipients(formText(form, "recipients")) } : { type, name, url: formText(form, "url") };
        const result = await apiFetch<{ channel: ChannelView; secret: string | null }>("/api/channels", { method: "POST", json: body });
        onCreated(result.channel, result.secret);
        setType("webhook");
      }}
    >
      <SelectField
        label="Type"
        name="type"
        options={types}
        value={type}
        onChange={(event) => setType(event.currentTarget.value as ChannelType)}
      />
      <Field label="Name" name="name" required maxLength={200} autoComplete="off" placeholder="e.g. On-call" />
      {type === "email" ? (
        <Field
          label="Recipients"
          name="recipients"
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="ops@example.com, dev@example.com"
          hint={smtpProblem ? <span className="danger-text">Email cannot be sent yet: {smtpProblem}.</span> : "Separate addresses with commas."}
        />
      ) : (
        <Field
          label={type === "slack" ? "Incoming webhook URL" : "URL"}
          name="url"
          type="url"
          required
          maxLength={2000}
          autoComplete="off"
          spellCheck={false}
          placeholder={type === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/alerts"}
          hint={type === "slack" ? "In Slack: Apps → Incoming Webhooks → Add to a channel." : "Receives a signed JSON POST for each notification."}
        />
      )}
    </ApiForm>
  );
}

export function ChannelsSettings({ admin, types }: { admin: boolean; types: readonly ChannelType[] }) {
  const { data, setData, error, loading, reload } = useApiData<{ channels: ChannelView[]; smtpProblem: string | null }>("/api/channels");
  const [revealed, setRevealed] = useState<{ secret: string; channel: ChannelView } | null>(null);
  const channels = data?.channels ?? [];
  const smtpProblem = data?.smtpProblem ?? null;
  const hasEmail = channels.some((channel) => channel.type === "email");

  return (
    <>
      {revealed ? (
        <Reveal title={`Signing secret for “${revealed.channel.name}”`} value={revealed.secret} what="secret" onDismiss={() => setRevealed(null)}>
          Check each request&apos;s <code>LSM-Signature</code> header with it (docs/api.md shows how).
        </Reveal>
      ) : null}

      <Section
        title="Notification channels"
        description="Where alert rules send their notifications: a signed webhook, a Slack channel, or email. Failed deliveries are retried for about 7 hours."
      >
        {hasEmail && smtpProblem ? (
          <div style={{ marginBottom: "0.75rem" }}>
            <Alert kind="info">
              Email channels cannot send: {smtpProblem}. Set <code>SMTP_URL</code> and <code>SMTP_FROM</code> and restart the app.
            </Alert>
          </div>
        ) : null}
        <div className="panel">
          <LoadState loading={loading && !data} error={error} reload={reload} what="channels">
            {channels.length === 0 ? (
              <Empty>
                <p>No channels yet.</p>
                <p>{admin ? "Add one below, then pick it in an alert rule." : "An admin can add one."}</p>
              </Empty>
            ) : (
              <ChannelsTable
                channels={channels}
                smtpProblem={smtpProblem}
                admin={admin}
                reload={reload}
                onSecret={(secret, channel) => setRevealed({ secret, channel })}
                onDeleted={(id) => setData((current) => current && { ...current, channels: current.channels.filter((item) => item.id !== id) })}
              />
            )}
          </LoadState>
        </div>
      </Section>

      {admin ? (
        <Section title="Add a channel">
          <div className="card">
            <CreateChannelForm
              types={types}
              smtpProblem={smtpProblem}
              onCreated={(channel, secret) => {
                setData((current) => ({ smtpProblem, channels: [...(current?.channels ?? []), channel].sort((a, b) => a.name.localeCompare(b.name)) }));
                if (secret) setRevealed({ secret, channel });
              }}
            />
          </div>
        </Section>
      ) : null}
    </>
  );
}
