import type { Metadata } from "next";
import { TokensSettings } from "@/components/settings/tokens";
import { requireUser } from "@/lib/auth/current-user";
import { ASSIGNABLE_ROLES } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "API tokens · Settings" };

export default async function TokensSettingsPage() {
  await requireUser("admin");
  return <TokensSettings roles={ASSIGNABLE_ROLES} />;
}
