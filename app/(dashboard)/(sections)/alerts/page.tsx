import type { Metadata } from "next";
import { AlertsInbox } from "@/components/alerts/alerts-inbox";
import { listRules } from "@/lib/alerts/rules";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { listMembers } from "@/lib/auth/users";
import { listWebsites } from "@/lib/websites/websites";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const user = await requireUser();
  const [websites, rules, members] = await Promise.all([listWebsites(), listRules(), listMembers()]);
  return (
    <AlertsInbox
      websites={websites.map((w) => ({ id: w.id, name: w.name ?? w.id }))}
      rules={rules.map((r) => ({ id: r.id, name: r.name, websiteId: r.websiteId }))}
      members={members.map((m) => ({ id: m.id, name: m.name }))}
      canTriage={hasRole(user.role, "member")}
      canEditRules={hasRole(user.role, "admin")}
    />
  );
}
