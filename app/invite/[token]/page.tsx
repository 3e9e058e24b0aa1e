import type { Metadata } from "next";
import { AuthCard } from "@/components/auth-card";
import { InviteForm } from "@/components/auth/invite-form";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Join · LiveSession Error Monitor",
  // The token is a credential: keep it out of Referer headers sent to other sites.
  referrer: "no-referrer",
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <AuthCard title="Join your team">
      <InviteForm token={token} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
