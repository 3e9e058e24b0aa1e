import type { Metadata } from "next";
import { capitalize } from "@/components/format";
import { describeRole } from "@/components/roles";
import { Section } from "@/components/settings/section";
import { SessionsList } from "@/components/settings/sessions";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Account · Settings" };

export default async function AccountSettingsPage() {
  const user = await requireUser();
  return (
    <>
      <Section title="Your account">
        <dl className="card details">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd className="wrap-anywhere">{user.email}</dd>
          <dt>Role</dt>
          <dd>
            <span className={`role role-${user.role}`}>{user.role}</span> <span className="muted">{capitalize(describeRole(user.role))}</span>
          </dd>
        </dl>
      </Section>
      <Section title="Sessions" description="The browsers signed in to your account. Revoke any you don't recognize.">
        <SessionsList />
      </Section>
    </>
  );
}
