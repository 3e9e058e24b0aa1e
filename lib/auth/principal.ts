import { ApiError } from "../api/errors";
import { auth, trustedOrigins } from "./auth";
import { hasRole, isRole, type Role } from "./roles";
import { verifyApiToken } from "./tokens";

/** Who is making a request: a signed-in user, or an API token. */
export type Principal =
  | { kind: "user"; userId: string; name: string; email: string; role: Role; sessionId: string }
  | { kind: "token"; tokenId: string | null; name: string; role: Role };

/**
 * Resolves `Authorization: Bearer <token>` or the session cookie. A bearer token that is not
 * valid resolves to null (it never falls back to the cookie).
 */
export async function resolvePrincipal(headers: Headers): Promise<Principal | null> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match ? verifyApiToken(match[1]!) : null;
  }
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  const role = (session.user as { role?: unknown }).role;
  if (!isRole(role)) return null;
  return {
    kind: "user",
    userId: session.user.id,
    name: session.user.name,
    email: session.user.email,
    role,
    sessionId: session.session.id,
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookies ride along on cross-site requests, so a state-changing request authenticated by
 * cookie must come from one of our own pages (CSRF).
 */
export function assertSameOrigin(headers: Headers): void {
  const origin = headers.get("origin");
  if (origin ? trustedOrigins().includes(origin) : headers.get("sec-fetch-site") === "same-origin") return;
  throw new ApiError("forbidden", "Cross-site request refused.");
}

/** The caller, if signed in (or holding a token) with at least `minimum`; else 401/403. */
export async function authorize(request: Request, minimum: Role): Promise<Principal> {
  const principal = await resolvePrincipal(request.headers);
  if (!principal) {
    throw new ApiError("unauthorized", "Sign in, or send an API token as Authorization: Bearer <token>.");
  }
  if (principal.kind === "user" && !SAFE_METHODS.has(request.method)) assertSameOrigin(request.headers);
  if (!hasRole(principal.role, minimum)) {
    throw new ApiError("forbidden", `This needs the ${minimum} role or higher; you are ${principal.role}.`);
  }
  return principal;
}
