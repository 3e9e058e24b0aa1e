import type { Metadata } from "next";
import { ChannelsSettings } from "@/components/settings/channels";
import { CHANNEL_TYPES } from "@/lib/alerts/types";
import { requireUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Channels · Settings" };

export default async function ChannelsSettingsPage() {
  const user = await requireUser();
  return <ChannelsSettings admin={hasRole(user.role, "admin")} types={CHANNEL_TYPES} />;
}
