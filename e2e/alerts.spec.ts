// Alert rules and the live alert inbox. The triage test seeds alerts with SQL in the e2e
// server's embedded database, as the evaluator writes them, for a disabled rule (so the
// evaluator's sweep leaves them be); the last test has the evaluator fire one from webhooks.
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { embeddedDatabaseUrl } from "../lib/db/embedded";
import { env } from "../lib/env";
import { OWNER_STATE } from "../playwright.config";
import { sendAgo, shoot as shootIn } from "./helpers";
import { fetchFromPage, OWNER } from "./users";

const SITE = "e2e-alerts";
const SHOTS = "/tmp/shots/alerts";
const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);

let pool: pg.Pool;

test.beforeAll(() => {
  const { E2E_PORT: port, E2E_DB_PORT: dbPort } = env();
  pool = new pg.Pool({ connectionString: embeddedDatabaseUrl(path.join(tmpdir(), `lsm-e2e-${port}`), dbPort), max: 2 });
});

test.afterAll(async () => {
  await pool?.end();
});

/** Inserts a firing alert of `ruleId` as the evaluator would; returns its id. */
async function seedAlert(ruleId: string, title: string, value: number): Promise<string> {
  const now = Date.now();
  const series = Array.from({ length: 12 }, (_, i) => ({ at: new Date(now - (11 - i) * 300_000).toISOString(), count: i === 11 ? value : 5 + (i % 4) }));
  const figures = { condition: "event_count", value, threshold: 50, windowMinutes: 5, baseline: null, factor: null, series, issues: [], evaluatedAt: new Date(now).toISOString() };
  const { rows } = await pool.query(
    "INSERT INTO alerts (rule_id, website_id, dedup_key, title, figures) VALUES ($1, $2, $3, $4, $5) RETURNING id::text",
    [ruleId, SITE, title, title, figures],
  );
  return rows[0].id;
}

test("create a rule through the settings page, with errors shown next to the fields", async ({ page, request }) => {
  await sendAgo(request, "js-error", SITE, 1);
  await page.goto(`/settings/alert-rules?website=${SITE}`);
  await expect(page.getByText("No alert rules for this website.")).toBeVisible();
  const form = page.getByRole("form", { name: "New alert rule" });
  await form.getByLabel("Name", { exact: true }).fill("Checkout errors");
  await form.getByLabel("Condition").selectOption("event_count");
  await expect(form.getByLabel("Window (minutes)")).toHaveValue("5");
  await form.getByRole("button", { name: "Create rule" }).click();
  // No threshold: the API's error shows next to the field.
  await expect(form.getByText("A threshold is required for this condition")).toBeVisible();
  await expect(form.getByLabel("Threshold")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Threshold").fill("50");
  await form.getByRole("checkbox", { name: "JSError" }).check();
  await form.getByLabel("URL pattern").fill("*/checkout*");
  await form.getByRole("button", { name: "Create rule" }).click();
  const item = page.locator(".rule-item", { hasText: "Checkout errors" });
  await expect(item).toContainText("Event count above 50 in 5 min");
  await expect(item).toContainText("JSError · URL */checkout*");
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("");

  // Disable it, and it stays disabled after a reload.
  await item.getByRole("button", { name: "Disable Checkout errors" }).click();
  await expect(item.locator(".badge")).toHaveText("Disabled");
  await page.reload();
  await expect(page.locator(".rule-item", { hasText: "Checkout errors" }).locator(".badge")).toHaveText("Disabled");
  await expect(page.getByRole("button", { name: "Enable Checkout errors" })).toBeVisible();
  await shoot(page, "rules");
});

test("triage alerts in the inbox; a second browser sees each change live; filters stay in the URL", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto("/alerts");
  const rule = await fetchFromPage(page, "/api/alert-rules", {
    method: "POST",
    body: { websiteId: SITE, name: "Error flood", condition: "event_count", threshold: 50, windowMinutes: 5, enabled: false },
  });
  expect(rule.status).toBe(201);
  const first = await seedAlert(rule.body.rule.id, "Error flood on checkout", 57);
  const second = await seedAlert(rule.body.rule.id, "Error flood on search", 64);

  const other = await browser.newContext({ storageState: OWNER_STATE });
  const watcher = await other.newPage();
  await watcher.goto("/alerts");
  await page.goto("/alerts");
  for (const p of [page, watcher]) await expect(p.getByRole("status").filter({ hasText: "Live" })).toBeVisible();

  const row = (p: Page, id: string) => p.locator(`li[data-alert-id="${id}"]`);
  await expect(row(page, first)).toContainText("57 events in 5 min, threshold 50");
  await expect(row(page, first).locator("[data-state]")).toHaveText("Firing");
  await expect(page.locator(".alert-nav-count")).toHaveText(/^2/);
  await shoot(page, "inbox");

  const actions = row(page, first).getByRole("group", { name: "Actions for Error flood on checkout" });
  await actions.getByRole("button", { name: "Acknowledge" }).click();
  await expect(row(page, first).locator("[data-state]")).toHaveText("Acknowledged");
  await expect(row(watcher, first).locator("[data-state]")).toHaveText("Acknowledged");

  await actions.getByLabel("Assignee").selectOption({ label: OWNER.name });
  await expect(row(watcher, first).locator(".alert-assignee")).toHaveText(`assigned to ${OWNER.name}`);

  // Choosing a duration (as arrow keys on the closed select do) snoozes nothing yet; the button does.
  await actions.getByLabel("Snooze for").selectOption({ label: "For 8 hours" });
  await actions.getByLabel("Snooze for").selectOption({ label: "For 1 hour" });
  await expect(row(page, first).locator("[data-state]")).toHaveText("Acknowledged");
  await actions.getByRole("button", { name: "Snooze", exact: true }).click();
  await expect(row(page, first).locator("[data-state]")).toHaveText("Snoozed");
  await expect(row(watcher, first).locator("[data-state]")).toHaveText("Snoozed");

  await actions.getByRole("button", { name: "Resolve" }).click();
  await expect(row(page, first)).toHaveCount(0);
  await expect(row(watcher, first)).toHaveCount(0);
  await expect(row(watcher, second).locator("[data-state]")).toHaveText("Firing");

  // Filters in the URL, kept across a reload.
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("State").selectOption("resolved");
  await expect(page).toHaveURL(/state=resolved/);
  await filters.getByLabel("Assignee").selectOption("me");
  await expect(page).toHaveURL(/assignee=me/);
  await page.reload();
  await expect(filters.getByLabel("State")).toHaveValue("resolved");
  await expect(filters.getByLabel("Assignee")).toHaveValue("me");
  await expect(row(page, first).locator("[data-state]")).toHaveText("Resolved");
  await expect(row(page, second)).toHaveCount(0);
  await expect(row(page, first)).toContainText(`resolved by ${OWNER.name}`);

  // The alert's page: its chart, the activity log, and the actions, live.
  await row(page, first).getByRole("link", { name: "Error flood on checkout" }).click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${first}$`));
  const log = page.getByRole("region", { name: "Activity" }).getByRole("listitem");
  await expect(log).toHaveText([/acknowledged it/, new RegExp(`assigned it to ${OWNER.name}`), /snoozed it until/, /resolved it/]);
  await expect(page.getByRole("region", { name: "Chart" }).locator(".recharts-reference-line")).toHaveCount(1);
  await expect(page.getByRole("region", { name: "Deliveries" })).toContainText("No notifications were sent for this alert.");
  await shoot(page, "alert");

  // Bulk: the other browser acknowledges what is left; this one sees it.
  await page.goto("/alerts");
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await watcher.getByRole("checkbox", { name: "Select Error flood on search" }).check();
  const bulk = watcher.getByRole("form", { name: "Bulk actions" });
  await bulk.getByLabel("Action").selectOption("acknowledge");
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(bulk.getByRole("status")).toHaveText("1 of 1 alerts changed.");
  await expect(row(page, second).locator("[data-state]")).toHaveText("Acknowledged");
  await expect(page.locator(".alert-nav-count")).toHaveCount(0);
  await other.close();

  await page.goto("/alerts/987654321");
  await expect(page.getByRole("heading", { name: "Alert not found" })).toBeVisible();
});

test("a rule created in the UI fires live in the inbox when matching webhooks arrive", async ({ page, request }) => {
  const site = "e2e-alerts-live";
  await sendAgo(request, "net-error", site, 1);
  await page.goto(`/settings/alert-rules?website=${site}`);
  const form = page.getByRole("form", { name: "New alert rule" });
  await form.getByLabel("Name", { exact: true }).fill("Live JS errors");
  await form.getByLabel("Threshold").fill("2");
  await form.getByRole("checkbox", { name: "JSError" }).check();
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.locator(".rule-item", { hasText: "Live JS errors" })).toContainText("Event count above 2 in 5 min");

  await page.goto(`/alerts?website=${site}`);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const alert = page.locator(".alert-item", { hasText: "Live JS errors" });
  // Other kinds are out of the rule's scope; two errors are not above the threshold.
  await sendAgo(request, "net-error", site, 0);
  for (let i = 0; i < 2; i++) await sendAgo(request, "js-error", site, 0);
  await expect(page.getByText("No alerts match these filters.")).toBeVisible();
  await sendAgo(request, "js-error", site, 0);
  await expect(alert).toContainText("3 events in 5 min, threshold 2");
  await expect(alert.locator("[data-state]")).toHaveText("Firing");
  await sendAgo(request, "js-error", site, 0);
  await expect(alert).toContainText("4 events in 5 min, threshold 2");
  await expect(page.locator(".alert-item")).toHaveCount(1);
});
