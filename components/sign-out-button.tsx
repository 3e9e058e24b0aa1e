"use client";

import { authClient } from "@/lib/auth/client";
import { InlineError, NAVIGATING, useAction } from "./forms";

/** Ends this browser's session and goes to the sign-in page. */
export function SignOutButton() {
  const { run, pending, error } = useAction(async () => {
    const { error: signOutError } = await authClient.signOut();
    if (signOutError) throw new Error(signOutError.message || "Could not sign out. Try again.");
    // A full page load, so no page of the signed-in app stays in the client-side cache.
    window.location.assign("/sign-in");
    return NAVIGATING;
  });
  return (
    <>
      <button type="button" className="button button-small button-secondary" onClick={() => void run()} disabled={pending}>
        {pending ? "Signing out…" : "Sign out"}
      </button>
      <InlineError message={error} />
    </>
  );
}
