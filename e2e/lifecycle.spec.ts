import { expect, test } from "@playwright/test";
import { api, sendAgo } from "./helpers";

// Settings → Data (retention) and erasing a visitor from their page, as the owner.

const SITE = "e2e-lifecycle";
const GONE = "e2e-lifecycle-gone";
const STAYS = "e2e-lifecycle-stays";

test("an admin erases a visitor from their page, after confirming", async ({ page, request }) => {
  for (const [who, minutesAgo] of [
    [GONE, 30],
    [GONE, 20],
    [STAYS, 10],
  ] as const) {
    await sendAgo(request, "js-error", SITE, minutesAgo, (d) => {
      d.payload.visitor.id = who;
      d.payload.visitor.name = who;
    });
  }
  await page.goto(`/visitors/${GONE}?website=${SITE}&range=24h&tz=UTC`);
  await page.getByRole("button", { name: "Erase this visitor's data" }).click();
  await expect(page.getByText("Erase every event and the profile of this visitor on this website?")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  expect((await api<{ visitor: unknown }>(page, `/api/visitors/${GONE}?websiteId=${SITE}`)).visitor).toBeTruthy();

  await page.getByRole("button", { name: "Erase this visitor's data" }).click();
  await page.getByRole("button", { name: "Yes, erase" }).click();
  await expect(page).toHaveURL(/\/visitors\?/);
  await expect(page.getByRole("link", { name: STAYS })).toBeVisible();
  await expect(page.getByRole("link", { name: GONE })).toHaveCount(0);
  const gone = await api<{ error: { code: string } }>(page, `/api/visitors/${GONE}?websiteId=${SITE}`);
  expect(gone.error.code).toBe("not_found");
});

test("Settings → Data shows the retention period, the oldest event kept and the last run", async ({ page }) => {
  await page.goto("/settings/data");
  const retention = page.getByRole("definition").filter({ hasText: /day/ }).first();
  await expect(retention).toHaveText("90 days");
  await expect(page.locator('[data-field="oldest-event"] time')).toBeVisible();
  await page.getByRole("button", { name: "Run now" }).click();
  // Other specs share this server and may have sent events older than 90 days (the docs' examples are from 2023).
  await expect(page.locator('[data-field="last-run"]')).toContainText(
    /just now: removed \d+ events?, \d+ issues?, \d+ visitors?, \d+ rejected deliver(y|ies) older than \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
  );
});
