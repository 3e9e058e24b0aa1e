"use client";

import { Field, formText } from "../forms";

/** "Password" and "Confirm password" for a new account. */
export function NewPasswordFields({ minLength }: { minLength: number }) {
  return (
    <>
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minLength}
        maxLength={256}
        hint={`At least ${minLength} characters.`}
      />
      <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required minLength={minLength} maxLength={256} />
    </>
  );
}

/** The new account's fields from a form with NewPasswordFields; throws when the passwords differ. */
export function readNewAccount(data: FormData): { name: string; email: string; password: string } {
  const password = formText(data, "password", { trim: false });
  if (password !== formText(data, "confirm", { trim: false })) throw new Error("The two passwords don't match.");
  return { name: formText(data, "name"), email: formText(data, "email"), password };
}
