"use client";

import { ApiForm, Field, formText, NAVIGATING } from "../forms";
import { goTo, signIn } from "./sign-in";

export type NewAccount = { name: string; email: string; password: string };

/** The new account's fields; throws when the passwords differ. */
function readNewAccount(data: FormData): NewAccount {
  const password = formText(data, "password", { trim: false });
  if (password !== formText(data, "confirm", { trim: false })) throw new Error("The two passwords don't match.");
  return { name: formText(data, "name"), email: formText(data, "email"), password };
}

/**
 * Name, email, password and its confirmation. On submit, `create` makes the account (first-run
 * setup or an invitation); the new user is then signed in and taken to the dashboard.
 */
export function NewAccountForm({
  label,
  minPasswordLength,
  create,
}: {
  label: string;
  minPasswordLength: number;
  create: (account: NewAccount) => Promise<unknown>;
}) {
  return (
    <ApiForm
      aria-label={label}
      submitLabel="Create account"
      pendingLabel="Creating account…"
      onSubmit={async (data) => {
        const account = readNewAccount(data);
        await create(account);
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
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        maxLength={256}
        hint={`At least ${minPasswordLength} characters.`}
      />
      <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} maxLength={256} />
    </ApiForm>
  );
}
