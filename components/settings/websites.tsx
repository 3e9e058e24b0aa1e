"use client";

import { useState } from "react";
import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { CopyButton } from "../copy-button";
import { ApiForm, Field, formText } from "../forms";
import { Reveal } from "../reveal";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { Empty, LoadState } from "./load-state";
import { Section } from "./section";

export type Website = {
  id: string;
  name: string | null;
  accountId: string | null;
  firstSeen: string;
  lastEventAt: string | null;
  webhookUrl: string;
  hasSecret: boolean;
  secretCreatedAt: string | null;
  previousSecretRetiresAt: string | null;
  signatureFailures: number;
  lastSignatureFailureAt: string | null;
};

const byName = (a: Website, b: Website) => (a.name ?? a.id).localeCompare(b.name ?? b.id);
const websitePath = (id: string) => `/api/websites/${encodeURIComponent(id)}`;

function RenameForm({ website, onSaved, onCancel }: { website: Website; onSaved: (website: Website) => void; onCancel: () => void }) {
  return (
    <div onKeyDown={(event) => event.key === "Escape" && onCancel()}>
      <ApiForm
        className="form-inline"
        aria-label={`Rename ${website.name ?? website.id}`}
        submitLabel="Save"
        onSubmit={async (data) => {
          const { website: saved } = await apiFetch<{ website: Website }>(websitePath(website.id), {
            method: "PATCH",
            json: { name: formText(data, "name") },
          });
          onSaved(saved);
        }}
        actions={
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        }
      >
        <Field label="Website name" labelHidden name="name" defaultValue={website.name ?? ""} maxLength={200} autoFocus placeholder={website.id} />
      </ApiForm>
    </div>
  );
}

function NameCell({ website, onSaved }: { website: Website; onSaved: (website: Website) => void }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <RenameForm
        website={website}
        onCancel={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          onSaved(saved);
        }}
      />
    );
  }
  return (
    <div className="name-cell">
      <div>
        <div className="strong">{website.name ?? <span className="muted">Unnamed</span>}</div>
        <code className="muted small">{website.id}</code>
      </div>
      <button type="button" className="button button-small button-ghost" onClick={() => setEditing(true)} aria-label={`Rename ${website.name ?? website.id}`}>
        Rename
      </button>
    </div>
  );
}

function SecretCell({ website }: { website: Website }) {
  if (!website.hasSecret) return <span className="badge badge-warning">Not set</span>;
  return (
    <div>
      <span className="badge badge-ok">Set</span> <span className="muted small">since <Time value={website.secretCreatedAt} relative /></span>
      {website.previousSecretRetiresAt ? (
        <div className="muted small">
          Previous secret works until <Time value={website.previousSecretRetiresAt} />
        </div>
      ) : null}
    </div>
  );
}

function FailuresCell({ website }: { website: Website }) {
  if (website.signatureFailures === 0) return <span className="muted">0</span>;
  return (
    <div className="danger-text">
      <strong>{website.signatureFailures.toLocaleString("en")}</strong>
      <div className="small">
        last <Time value={website.lastSignatureFailureAt} relative />
      </div>
    </div>
  );
}

function WebsiteRow({ website, onChanged, onSecret }: { website: Website; onChanged: (website: Website) => void; onSecret: (secret: string, website: Website) => void }) {
  const label = website.name ?? website.id;
  return (
    <tr data-website-id={website.id}>
      <td>
        <NameCell website={website} onSaved={onChanged} />
      </td>
      <td>
        <div className="url-cell">
          <code className="small">{website.webhookUrl}</code>
          <CopyButton text={website.webhookUrl} what="webhook URL" />
        </div>
      </td>
      <td>
        <SecretCell website={website} />
      </td>
      <td>
        <FailuresCell website={website} />
      </td>
      <td>
        <Time value={website.lastEventAt} relative empty="Never" />
      </td>
      <td className="actions-cell">
        <ConfirmButton
          label={website.hasSecret ? "Rotate secret" : "Generate secret"}
          variant={website.hasSecret ? "danger" : "primary"}
          question={
            website.hasSecret
              ? `Rotate the secret of ${label}? The current one keeps working for a grace period.`
              : `Generate a webhook secret for ${label}?`
          }
          confirmLabel={website.hasSecret ? "Rotate" : "Generate"}
          pendingLabel="Generating…"
          onConfirm={async () => {
            const result = await apiFetch<{ secret: string; website: Website }>(`${websitePath(website.id)}/secret`, { method: "POST" });
            onChanged(result.website);
            onSecret(result.secret, result.website);
          }}
        />
      </td>
    </tr>
  );
}

export function WebsitesSettings() {
  const { data, setData, error, loading, reload } = useApiData<{ websites: Website[] }>("/api/websites");
  const [revealed, setRevealed] = useState<{ secret: string; website: Website } | null>(null);
  const websites = data?.websites ?? [];

  const upsert = (website: Website) =>
    setData((current) => {
      const others = (current?.websites ?? []).filter((item) => item.id !== website.id);
      return { websites: [...others, website].sort(byName) };
    });

  return (
    <>
      {revealed ? (
        <Reveal title={`Webhook secret for ${revealed.website.name ?? revealed.website.id}`} value={revealed.secret} what="secret" onDismiss={() => setRevealed(null)}>
          Paste it as the secret of this website&apos;s LiveSession webhook.
          {revealed.website.previousSecretRetiresAt ? (
            <>
              {" "}
              The previous secret keeps working until <Time value={revealed.website.previousSecretRetiresAt} />.
            </>
          ) : null}
        </Reveal>
      ) : null}

      <Section
        title="Websites"
        description="Point each website's LiveSession session.event webhook at its URL, and give it a secret so only signed deliveries are accepted."
      >
        <div className="panel">
          <LoadState loading={loading && !data} error={error} reload={reload} what="websites">
            {websites.length === 0 ? (
              <Empty>
                <p>No websites yet.</p>
                <p>They appear here with their first webhook delivery, or add one below.</p>
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Website</th>
                    <th>Webhook URL</th>
                    <th>Secret</th>
                    <th>Signature failures</th>
                    <th>Last event</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {websites.map((website) => (
                    <WebsiteRow key={website.id} website={website} onChanged={upsert} onSecret={(secret, site) => setRevealed({ secret, website: site })} />
                  ))}
                </tbody>
              </table>
            )}
          </LoadState>
        </div>
      </Section>

      <Section title="Add a website" description="Its id is the LiveSession website id (in LiveSession: Settings → Websites).">
        <div className="card">
          <ApiForm
            className="form-row"
            aria-label="Add a website"
            submitLabel="Add website"
            pendingLabel="Adding…"
            resetOnSuccess
            onSubmit={async (form) => {
              const { website } = await apiFetch<{ website: Website }>("/api/websites", {
                method: "POST",
                json: { id: formText(form, "id"), name: formText(form, "name") },
              });
              upsert(website);
            }}
          >
            <Field
              label="Website id"
              name="id"
              required
              maxLength={255}
              pattern="[A-Za-z0-9_.\-]+"
              title="Letters, digits, '-', '_' and '.'"
              autoComplete="off"
              spellCheck={false}
            />
            <Field label="Name" name="name" maxLength={200} autoComplete="off" hint="Optional" />
          </ApiForm>
        </div>
      </Section>
    </>
  );
}
