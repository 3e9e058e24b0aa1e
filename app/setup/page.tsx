import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up · LiveSession Error Monitor" };

/** First run only: creates the owner account. Once anyone has an account, it is gone. */
export default async function SetupPage() {
  if ((await db().user.count()) > 0) redirect("/sign-in");
  return (
    <AuthCard title="Welcome" subtitle="Create the owner account. You can invite your team afterwards.">
      <SetupForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
