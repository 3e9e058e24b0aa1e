import type { Metadata } from "next";
import { WebsitesSettings } from "@/components/settings/websites";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Websites · Settings" };

export default async function WebsitesSettingsPage() {
  await requireUser("admin");
  return <WebsitesSettings />;
}
