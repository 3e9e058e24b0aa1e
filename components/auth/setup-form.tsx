"use client";

import { apiFetch } from "../api-client";
import { NewAccountForm } from "./new-account-form";

/** First run: creates the owner account, signs it in and opens the dashboard. */
export function SetupForm({ minPasswordLength }: { minPasswordLength: number }) {
  return (
    <NewAccountForm
      label="Create the owner account"
      minPasswordLength={minPasswordLength}
      create={(account) => apiFetch("/api/setup", { method: "POST", json: account, redirectOn401: false })}
    />
  );
}
