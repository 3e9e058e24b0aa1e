import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AlertPage } from "@/components/alerts/alert-page";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { listMembers } from "@/lib/auth/users";
import { findAlert } from "@/lib/queries/get-alert";

export const metadata: Metadata = { title: "Alert" };

export default async function AlertRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const [alert, members] = await Promise.all([findAlert(id), listMembers()]);
  if (!alert) notFound();
  return <AlertPage id={alert.id} members={members.map((m) => ({ id: m.id, name: m.name }))} canTriage={hasRole(user.role, "member")} />;
}
