import { expect, type Page } from "@playwright/test";

export const OWNER = { name: "Olga Owner", email: "owner@example.test", password: "owner password 123" };

/** Fills and submits the name / email / password / confirm form of /setup and invitations. */
export async function createAccount(page: Page, account: { name: string; email: string; password: string }) {
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByLabel("Confirm password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A same-origin fetch from the page, as the app's own scripts make it. */
export async function fetchFromPage(page: Page, path: string, init: { method: string; body?: unknown }) {
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, {
        method: init.method,
        headers: { "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: await response.json() };
    },
    { path, init },
  );
}

export async function expectSignedInAt(page: Page, path: string, name: string) {
  await expect(page).toHaveURL(path);
  await expect(page.getByRole("banner")).toContainText(name);
}
