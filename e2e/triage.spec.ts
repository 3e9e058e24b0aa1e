import { expect, test, type Page } from "@playwright/test";
import { api, sendAgo, shoot as shootIn } from "./helpers";

const SITE = "e2e-triage";
const SHOTS = "/tmp/shots/triage";
const RESOLVE_ME = "Triage: resolve me";
const BULK = ["Triage: bulk one", "Triage: bulk two"];
const COMMENT = `<img src=x onerror="window.__xss=1"> looks like the cart`;

const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);
const jsError = (value: string) => (d: Record<string, any>) => {
  d.payload.value = value;
};

test("resolve an issue, see it regress with a new event, comment on it; bulk-resolve from the list", async ({ page, request }) => {
  test.setTimeout(120_000);
  for (const title of [RESOLVE_ME, ...BULK, "Triage: left alone"]) await sendAgo(request, "js-error", SITE, 5, jsError(title));
  const list = `/issues?website=${SITE}&range=24h&tz=UTC`;
  await page.goto(list);
  const { issues } = await api<{ issues: { id: string; title: string; status: string }[] }>(page, `/api/issues?websiteId=${SITE}`);
  const idOf = (title: string) => issues.find((i) => i.title === title)!.id;
  expect(issues.every((i) => i.status === "open")).toBe(true);

  // Resolve from the issue page.
  await page.goto(`/issues/${idOf(RESOLVE_ME)}?website=${SITE}&range=24h&tz=UTC`);
  const triage = page.getByRole("region", { name: "Triage" });
  await expect(triage.locator("[data-state]")).toHaveText("Open");
  await triage.getByRole("button", { name: "Resolve" }).click();
  await expect(triage.locator("[data-state]")).toHaveText("Resolved");
  const activity = page.getByRole("region", { name: "Activity" });
  await expect(activity.getByRole("listitem")).toHaveText([/changed the state from Open to Resolved/]);

  // A new event: regressed, by "system".
  await sendAgo(request, "js-error", SITE, 0, jsError(RESOLVE_ME));
  await page.reload();
  await expect(triage.locator("[data-state]")).toHaveText("Regressed");
  await expect(activity.getByRole("listitem").last()).toHaveText(/system changed the state from Resolved to Regressed \(a new event arrived\)/);

  // A comment, shown as the text it is.
  const comments = page.getByRole("region", { name: "Comments" });
  await comments.getByLabel("Comment", { exact: true }).fill(COMMENT);
  await comments.getByRole("button", { name: "Comment" }).click();
  await expect(comments.locator(".comment-body")).toHaveText(COMMENT);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  await expect(activity.getByRole("listitem").last()).toHaveText(/commented/);
  await shoot(page, "issue");

  // Bulk-resolve two issues from the list, with the keyboard.
  await page.goto(list);
  const table = page.getByRole("region", { name: "Issues" });
  await expect(table.locator(`tr[data-issue-id="${idOf(RESOLVE_ME)}"] [data-state]`)).toHaveText("Regressed");
  for (const title of BULK) {
    await page.getByRole("checkbox", { name: `Select ${title}` }).focus();
    await page.keyboard.press("Space");
  }
  const bulk = page.getByRole("form", { name: "Bulk actions" });
  await expect(bulk).toContainText("2 selected");
  await bulk.getByLabel("Action").selectOption("resolve");
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(bulk.getByRole("status")).toHaveText("2 of 2 issues changed.");
  for (const title of BULK) await expect(table.locator(`tr[data-issue-id="${idOf(title)}"] [data-state]`)).toHaveText("Resolved");
  await expect(table.locator(`tr[data-issue-id="${idOf("Triage: left alone")}"] [data-state]`)).toHaveText("Open");

  // The state filter.
  await page.getByRole("navigation", { name: "State" }).getByRole("link", { name: "Resolved" }).click();
  await expect(page).toHaveURL(/status=resolved/);
  await expect(table.locator("tr[data-issue-id]")).toHaveCount(2);
  await shoot(page, "list-resolved");
  await page.getByRole("navigation", { name: "State" }).getByRole("link", { name: "Ignored" }).click();
  await expect(table).toContainText("No issues match these filters in this range in state Ignored.");
  await page.goto(list);
  await shoot(page, "list");
});
