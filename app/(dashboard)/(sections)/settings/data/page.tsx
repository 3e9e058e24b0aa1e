import type { Metadata } from "next";
import { DataSettings } from "@/components/settings/data";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Data · Settings" };

export default async function DataSettingsPage() {
  await requireUser("admin");
  return <DataSettings />;
}
