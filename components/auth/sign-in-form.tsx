"use client";

import { ApiForm, Field, formText, NAVIGATING } from "../forms";
import { goTo, signIn } from "./sign-in";

export function SignInForm({ next }: { next: string }) {
  return (
    <ApiForm
      aria-label="Sign in"
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      onSubmit={async (data) => {
        await signIn(formText(data, "email"), formText(data, "password", { trim: false }));
        goTo(next);
        return NAVIGATING;
      }}
    >
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
    </ApiForm>
  );
}
