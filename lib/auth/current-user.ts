import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db/client";
import { REQUEST_PATH_HEADER } from "../server/request-path";
import { resolvePrincipal } from "./principal";
import { hasRole, type Role } from "./roles";

export type CurrentUser = { id: string; name: string; email: string; role: Role };

/**
 * For server components: the signed-in user, or a redirect to /sign-in (or /setup on a fresh
 * install). With `minimum`, a user below that role is sent to the home page.
 */
export async function requireUser(minimum: Role = "viewer"): Promise<CurrentUser> {
  const requestHeaders = await headers();
  const principal = await resolvePrincipal(requestHeaders);
  if (!principal || principal.kind !== "user") {
    if ((await db().user.count()) === 0) redirect("/setup");
    const path = requestHeaders.get(REQUEST_PATH_HEADER);
    redirect(path && path !== "/" ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in");
  }
  if (!hasRole(principal.role, minimum)) redirect("/");
  return { id: principal.userId, name: principal.name, email: principal.email, role: principal.role };
}
