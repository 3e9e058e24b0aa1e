import type { Metadata } from "next";
import { RulesSettings } from "@/components/alerts/rules-settings";
import { listChannelOptions } from "@/lib/alerts/rules";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { listWebsites } from "@/lib/websites/websites";

export const metadata: Metadata = { title: "Alert rules · Settings" };

export default async function AlertRulesSettingsPage() {
  const user = await requireUser();
  const [websites, channels] = await Promise.all([listWebsites(), listChannelOptions()]);
  return <RulesSettings websites={websites.map((w) => ({ id: w.id, name: w.name ?? w.id }))} channels={channels} canEdit={hasRole(user.role, "admin")} />;
}
