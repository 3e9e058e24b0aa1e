import { authClient } from "@/lib/auth/client";

export const TOO_MANY_ATTEMPTS = "Too many attempts, try again in a few minutes";

/** Signs in with Better Auth; throws an Error with a message fit to show. */
export async function signIn(email: string, password: string): Promise<void> {
  const { error } = await authClient.signIn.email({ email, password });
  if (!error) return;
  if (error.status === 429) throw new Error(TOO_MANY_ATTEMPTS);
  throw new Error(error.message || "Could not sign in. Try again.");
}

/** A full page load of a local path, so the server renders the signed-in app. */
export function goTo(path: string): void {
  window.location.assign(path);
}
