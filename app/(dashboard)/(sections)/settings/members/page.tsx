import type { Metadata } from "next";
import { MembersSettings } from "@/components/settings/members";
import { requireUser } from "@/lib/auth/current-user";
import { ASSIGNABLE_ROLES } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Members · Settings" };

export default async function MembersSettingsPage() {
  const user = await requireUser("admin");
  return <MembersSettings currentUserId={user.id} roles={ASSIGNABLE_ROLES} />;
}
