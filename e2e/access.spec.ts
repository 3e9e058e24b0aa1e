import { expect, test } from "@playwright/test";
import { createAccount, expectSignedInAt, fetchFromPage, OWNER, signIn } from "./users";

test("signing out ends the session; signing in brings you back where you were going", async ({ browser }) => {
  const context = await browser.newContext({ storageState: undefined });
  const page = await context.newPage();
  await page.goto("/settings/account");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faccount$/);
  await page.screenshot({ path: "test-results/screenshots/sign-in.png", fullPage: true });

  await signIn(page, { email: OWNER.email, password: "not the password" });
  await expect(page.getByText("Invalid email or password")).toBeVisible();
  await signIn(page, OWNER);
  await expectSignedInAt(page, "/settings/account", OWNER.name);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/events")).status()).toBe(401);
  await context.close();
});

test("an invited viewer can read but not change anything", async ({ page, browser }) => {
  await page.goto("/settings/members");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = await page.getByRole("textbox", { name: "Invitation link (viewer)" }).inputValue();
  expect(link).toMatch(/\/invite\/[\w-]+$/);
  await page.screenshot({ path: "test-results/screenshots/settings-members.png", fullPage: true });

  const viewerContext = await browser.newContext({ storageState: undefined });
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await expect(viewer.getByText("viewer").first()).toBeVisible();
  // A fresh address each run, so the test can be repeated against the same server.
  await createAccount(viewer, { name: "Vera Viewer", email: `viewer-${Date.now()}@example.test`, password: "viewer password 123" });
  await expectSignedInAt(viewer, "/", "Vera Viewer");

  // The link worked once.
  const again = await viewerContext.newPage();
  await again.goto(new URL(link).pathname);
  await expect(again.getByText(/expired or was already used/i)).toBeVisible();
  await again.close();

  // Pages: settings shows only the viewer's own account; admin pages send them home.
  await viewer.goto("/settings");
  await expect(viewer).toHaveURL(/\/settings\/account$/);
  await viewer.goto("/settings/websites");
  await expect(viewer).toHaveURL(/\/$/);

  // The server refuses changes even when the request is made directly from the app's origin.
  for (const [path, method, body] of [
    ["/api/websites", "POST", { id: "viewer-site" }],
    ["/api/tokens", "POST", { name: "mine", role: "admin" }],
    ["/api/invitations", "POST", { role: "admin", expiresInDays: 1 }],
  ] as const) {
    const reply = await fetchFromPage(viewer, path, { method, body });
    expect(reply.status, path).toBe(403);
    expect(reply.body.error.code).toBe("forbidden");
  }
  expect((await fetchFromPage(viewer, "/api/websites", { method: "GET" })).status).toBe(200);

  // The owner sees the new member with their role.
  await page.reload();
  await expect(page.getByRole("row", { name: /Vera Viewer/ }).first()).toBeVisible();
  await viewerContext.close();
});

test("settings pages render for the owner", async ({ page }) => {
  for (const section of ["websites", "tokens", "account"]) {
    await page.goto(`/settings/${section}`);
    await expect(page.getByRole("heading").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/settings-${section}.png`, fullPage: true });
  }
});
