"use client";

import { apiFetch } from "../api-client";
import { ApiForm, Field, NAVIGATING } from "../forms";
import { NewPasswordFields, readNewAccount } from "./password-fields";
import { goTo, signIn } from "./sign-in";

/** First run: creates the owner account, signs it in and opens the dashboard. */
export function SetupForm({ minPasswordLength }: { minPasswordLength: number }) {
  return (
    <ApiForm
      aria-label="Create the owner account"
      submitLabel="Create account"
      pendingLabel="Creating account…"
      onSubmit={async (data) => {
        const account = readNewAccount(data);
        await apiFetch("/api/setup", { method: "POST", json: account, redirectOn401: false });
        try {
          await signIn(account.email, account.password);
        } catch {
          // The account exists now; the sign-in page says what went wrong.
          goTo("/sign-in");
          return NAVIGATING;
        }
        goTo("/");
        return NAVIGATING;
      }}
    >
      <Field label="Name" name="name" autoComplete="name" required maxLength={200} autoFocus />
      <Field label="Email" name="email" type="email" autoComplete="email" required maxLength={320} />
      <NewPasswordFields minLength={minPasswordLength} />
    </ApiForm>
  );
}
