"use client";

import { useState } from "react";
import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { capitalize } from "../format";
import { ApiForm, Field, formText, NAVIGATING, SelectField, useAction } from "../forms";
import { Reveal } from "../reveal";
import { describeRole } from "../roles";
import { Time } from "../time";
import { useApiData } from "../use-api-data";
import { Empty, LoadState } from "./load-state";
import { Section } from "./section";

type Member = { id: string; name: string; email: string; role: string; createdAt: string };
type Invitation = { id: string; role: string; createdAt: string; expiresAt: string };

function RoleCell({ member, roles, onSaved }: { member: Member; roles: readonly string[]; onSaved: (member: Member) => void }) {
  const { run, pending, error } = useAction(async (role: string) => {
    const { member: saved } = await apiFetch<{ member: Member }>(`/api/members/${encodeURIComponent(member.id)}`, { method: "PATCH", json: { role } });
    onSaved(saved ?? { ...member, role });
  });
  if (member.role === "owner") return <span className="role role-owner">owner</span>;
  return (
    <div>
      <SelectField
        label={`Role of ${member.name}`}
        labelHidden
        className="field-compact"
        options={roles}
        value={member.role}
        disabled={pending}
        onChange={(event) => void run(event.currentTarget.value)}
      />
      {pending ? <span className="muted small">Saving…</span> : null}
      {error ? (
        <div className="error-text small" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

function MembersTable({ currentUserId, roles }: { currentUserId: string; roles: readonly string[] }) {
  const { data, setData, error, loading, reload } = useApiData<{ members: Member[] }>("/api/members");
  const members = data?.members ?? [];
  const replace = (member: Member) => {
    // Demoting yourself below admin closes this page to you.
    if (member.id === currentUserId && member.role !== "admin" && member.role !== "owner") window.location.assign("/settings");
    setData((current) => current && { members: current.members.map((item) => (item.id === member.id ? member : item)) });
  };
  const remove = (id: string) => setData((current) => current && { members: current.members.filter((item) => item.id !== id) });

  return (
    <div className="panel">
      <LoadState loading={loading && !data} error={error} reload={reload} what="members">
        {members.length === 0 ? (
          <Empty>No members yet.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Joined</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id} data-member-id={member.id}>
                  <td>
                    <span className="strong">{member.name}</span>
                    {member.id === currentUserId ? <span className="badge">you</span> : null}
                  </td>
                  <td className="wrap-anywhere">{member.email}</td>
                  <td>
                    <RoleCell member={member} roles={roles} onSaved={replace} />
                  </td>
                  <td>
                    <Time value={member.createdAt} relative />
                  </td>
                  <td className="actions-cell">
                    {member.role === "owner" ? null : (
                      <ConfirmButton
                        label="Remove"
                        question={member.id === currentUserId ? "Remove your own account? You will be signed out." : `Remove ${member.name} from the team?`}
                        confirmLabel="Yes, remove"
                        pendingLabel="Removing…"
                        onConfirm={async () => {
                          await apiFetch(`/api/members/${encodeURIComponent(member.id)}`, { method: "DELETE" });
                          if (member.id === currentUserId) {
                            window.location.assign("/sign-in");
                            return NAVIGATING;
                          }
                          remove(member.id);
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadState>
    </div>
  );
}

function Invitations({ roles }: { roles: readonly string[] }) {
  const { data, setData, error, loading, reload } = useApiData<{ invitations: Invitation[] }>("/api/invitations");
  const [link, setLink] = useState<{ url: string; role: string } | null>(null);
  const invitations = data?.invitations ?? [];

  return (
    <>
      <Section title="Invite someone" description="Creates a link that makes one account with the role you choose. Send it to the person you invite.">
        {link ? (
          <Reveal title={`Invitation link (${link.role})`} value={link.url} what="invitation link" onDismiss={() => setLink(null)}>
            Anyone with this link can join once, so send it privately.
          </Reveal>
        ) : null}
        <div className="card">
          <ApiForm
            className="form-row"
            aria-label="Invite someone"
            submitLabel="Create invitation link"
            pendingLabel="Creating…"
            onSubmit={async (form) => {
              const role = formText(form, "role");
              const result = await apiFetch<{ invitation: Invitation; link: string }>("/api/invitations", {
                method: "POST",
                json: { role, expiresInDays: Number(formText(form, "expiresInDays")) },
              });
              setData((current) => ({ invitations: [result.invitation, ...(current?.invitations ?? [])] }));
              setLink({ url: result.link, role: result.invitation.role });
            }}
          >
            <SelectField label="Role" name="role" options={roles} defaultValue="member" />
            <Field label="Expires after (days)" name="expiresInDays" type="number" inputMode="numeric" min={1} max={30} step={1} defaultValue={7} required />
          </ApiForm>
          <ul className="role-help muted small">
            {roles.map((role) => (
              <li key={role}>
                <strong>{capitalize(role)}</strong> {describeRole(role)}
              </li>
            ))}
          </ul>
        </div>
      </Section>

      <Section title="Pending invitations">
        <div className="panel">
          <LoadState loading={loading && !data} error={error} reload={reload} what="invitations">
            {invitations.length === 0 ? (
              <Empty>No pending invitations.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Role</th>
                    <th>Created</th>
                    <th>Expires</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.map((invitation) => (
                    <tr key={invitation.id}>
                      <td>
                        <span className={`role role-${invitation.role}`}>{invitation.role}</span>
                      </td>
                      <td>
                        <Time value={invitation.createdAt} relative />
                      </td>
                      <td>
                        <Time value={invitation.expiresAt} relative />
                      </td>
                      <td className="actions-cell">
                        <ConfirmButton
                          label="Revoke"
                          question="Revoke this invitation? Its link stops working."
                          confirmLabel="Yes, revoke"
                          pendingLabel="Revoking…"
                          onConfirm={async () => {
                            await apiFetch(`/api/invitations/${encodeURIComponent(invitation.id)}`, { method: "DELETE" });
                            setData((current) => current && { invitations: current.invitations.filter((item) => item.id !== invitation.id) });
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
    </>
  );
}

export function MembersSettings({ currentUserId, roles }: { currentUserId: string; roles: readonly string[] }) {
  return (
    <>
      <Section title="Members" description="Everyone who can sign in. The owner's role cannot be changed.">
        <MembersTable currentUserId={currentUserId} roles={roles} />
      </Section>
      <Invitations roles={roles} />
    </>
  );
}
