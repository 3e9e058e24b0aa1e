import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/components/safe-next";
import { resolvePrincipal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · LiveSession Error Monitor" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  if ((await db().user.count()) === 0) redirect("/setup");
  const principal = await resolvePrincipal(await headers());
  if (principal?.kind === "user") redirect(next);
  return (
    <AuthCard title="Sign in" subtitle="Use the account your team created for you.">
      <SignInForm next={next} />
    </AuthCard>
  );
}
