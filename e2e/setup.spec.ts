import { expect, test } from "@playwright/test";
import { OWNER_STATE } from "../playwright.config";
import { createAccount, expectSignedInAt, OWNER } from "./users";

test("first run: the first visitor creates the owner account, then setup is closed", async ({ page, browser }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.screenshot({ path: "test-results/screenshots/setup.png", fullPage: true });

  await createAccount(page, OWNER);
  await expectSignedInAt(page, "/", OWNER.name);
  await expect(page.getByRole("banner")).toContainText("owner");
  await page.context().storageState({ path: OWNER_STATE });

  const stranger = await browser.newPage();
  await stranger.goto("/setup");
  await expect(stranger).toHaveURL(/\/sign-in/);
  await stranger.close();
});
