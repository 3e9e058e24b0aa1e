import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";

export default async function SettingsPage() {
  const user = await requireUser();
  redirect(hasRole(user.role, "admin") ? "/settings/websites" : "/settings/account");
}
