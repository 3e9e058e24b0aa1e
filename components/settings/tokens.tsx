"use client";

import { useState } from "react";
import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { ApiForm, Field, formText, SelectField } from "../forms";
import { Reveal } from "../reveal";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { Empty, LoadState } from "./load-state";
import { Section } from "./section";

type ApiToken = { id: string; name: string; role: string; prefix: string; createdAt: string; lastUsedAt: string | null };

export function TokensSettings({ roles }: { roles: readonly string[] }) {
  const { data, setData, error, loading, reload } = useApiData<{ tokens: ApiToken[] }>("/api/tokens");
  const [created, setCreated] = useState<{ token: string; record: ApiToken } | null>(null);
  const tokens = data?.tokens ?? [];

  return (
    <>
      <Section
        title="API tokens"
        description={
          <>
            For scripts and integrations: send the token as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with the role you give it.
          </>
        }
      >
        {created ? (
          <Reveal title={`API token “${created.record.name}”`} value={created.token} what="token" onDismiss={() => setCreated(null)}>
            Store it in your secret manager; if it is lost, revoke it and create another.
          </Reveal>
        ) : null}
        <div className="panel">
          <LoadState loading={loading && !data} error={error} reload={reload} what="API tokens">
            {tokens.length === 0 ? (
              <Empty>No API tokens yet.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Token</th>
                    <th>Role</th>
                    <th>Created</th>
                    <th>Last used</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((token) => (
                    <tr key={token.id} data-token-id={token.id}>
                      <td className="strong wrap-anywhere">{token.name}</td>
                      <td>
                        <code className="small">{token.prefix}…</code>
                      </td>
                      <td>
                        <span className={`role role-${token.role}`}>{token.role}</span>
                      </td>
                      <td>
                        <Time value={token.createdAt} relative />
                      </td>
                      <td>
                        <Time value={token.lastUsedAt} relative empty="Never" />
                      </td>
                      <td className="actions-cell">
                        <ConfirmButton
                          label="Revoke"
                          question={`Revoke “${token.name}”? Anything using it stops working.`}
                          confirmLabel="Yes, revoke"
                          pendingLabel="Revoking…"
                          onConfirm={async () => {
                            await apiFetch(`/api/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
                            setData((current) => current && { tokens: current.tokens.filter((item) => item.id !== token.id) });
                          }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </LoadState>
        </div>
      </Section>

      <Section title="Create a token">
        <div className="card">
          <ApiForm
            className="form-row"
            aria-label="Create an API token"
            submitLabel="Create token"
            pendingLabel="Creating…"
            resetOnSuccess
            onSubmit={async (form) => {
              const result = await apiFetch<{ token: string; record: ApiToken }>("/api/tokens", {
                method: "POST",
                json: { name: formText(form, "name"), role: formText(form, "role") },
              });
              setData((current) => ({ tokens: [result.record, ...(current?.tokens ?? [])] }));
              setCreated(result);
            }}
          >
            <Field label="Name" name="name" required maxLength={200} autoComplete="off" placeholder="e.g. CI alerts script" />
            <SelectField label="Role" name="role" options={roles} defaultValue="viewer" />
          </ApiForm>
        </div>
      </Section>
    </>
  );
}
