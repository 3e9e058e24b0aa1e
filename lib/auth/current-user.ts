import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db/client";
import { resolvePrincipal } from "./principal";
import { hasRole, type Role } from "./roles";

export type CurrentUser = { id: string; name: string; email: string; role: Role };

/**
 * For server components: the signed-in user, or a redirect to /sign-in (or /setup on a fresh
 * install). With `minimum`, a user below that role is sent to the home page.
 */
export async function requireUser(minimum: Role = "viewer"): Promise<CurrentUser> {
  const principal = await resolvePrincipal(await headers());
  if (!principal || principal.kind !== "user") {
    redirect((await db().user.count()) === 0 ? "/setup" : "/sign-in");
  }
  if (!hasRole(principal.role, minimum)) redirect("/");
  return { id: principal.userId, name: principal.name, email: principal.email, role: principal.role };
}
