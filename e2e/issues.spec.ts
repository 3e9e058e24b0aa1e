import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signBody } from "../lib/livesession/signature";
import { delivery, type FixtureName } from "../lib/testing/deliveries";
import { api, shoot as shootIn } from "./helpers";

const SITE = "e2e-issues";
const OTHER_SITE = "e2e-issues-other";
const SHOTS = "/tmp/shots/issues";
const TYPE_ERROR = "TypeError: cart is undefined";
const XSS = `<img src=x onerror="window.__xss=1">Broken`;
const MINUTE = 60_000;

type ApiIssue = { id: string; kind: string; title: string; firstSeen: string; events: number; totalEvents: number; visitors: number };

/** Creates a website with its own webhook secret through the settings API, as an admin would. */
async function websiteSecret(request: APIRequestContext, baseURL: string, id: string): Promise<string> {
  const headers = { origin: baseURL };
  const created = await request.post("/api/websites", { data: { id, name: id === SITE ? "Shop" : "Other shop" }, headers });
  expect([201, 409]).toContain(created.status());
  const rotated = await request.post(`/api/websites/${id}/secret`, { headers });
  expect(rotated.status()).toBe(200);
  return (await rotated.json()).secret as string;
}

async function send(request: APIRequestContext, secret: string, website: string, fixture: FixtureName, minutesAgo: number, visitor: string, fields: Record<string, unknown>) {
  const at = Date.now() - minutesAgo * MINUTE;
  const { body } = delivery(fixture, (d) => {
    d.website_id = website;
    d.created_at = Math.floor(at / 1000);
    Object.assign(d.payload, fields, { time: at });
    d.payload.visitor.id = visitor;
    d.payload.visitor.name = `Visitor ${visitor.toUpperCase()}`;
    d.payload.visitor.email = `${visitor}@shop.example`;
    // v1-v3 are on the pro plan; everyone else is free.
    d.payload.visitor.params = [{ name: "plan", value: ["v1", "v2", "v3"].includes(visitor) ? "pro" : "free" }];
    d.payload.visitor.geolocation = visitor === "v2" ? { country_code: "DE", city: "Berlin", region: "Berlin" } : { country_code: "PL", city: "Warsaw", region: "Mazovia" };
  });
  const response = await request.post("/api/webhooks/livesession", {
    data: body,
    headers: { "content-type": "application/json", "livesession-signature": signBody(body, secret) },
  });
  expect(response.status(), await response.text()).toBe(200);
}

async function seed(request: APIRequestContext, baseURL: string) {
  const secret = await websiteSecret(request, baseURL, SITE);
  const sends: [FixtureName, number, string, Record<string, unknown>][] = [
    ["js-error", 3 * 24 * 60, "v1", { value: TYPE_ERROR }], // first seen three days ago: "Ongoing"
    ["js-error", 50, "v1", { value: TYPE_ERROR }],
    ["js-error", 40, "v1", { value: TYPE_ERROR }],
    ["js-error", 30, "v2", { value: TYPE_ERROR }],
    ["js-error", 20, "v3", { value: TYPE_ERROR }],
    ["net-error", 45, "v1", { method: "GET", url: "https://shop.example/api/products/17?ref=home", status: 500 }],
    ["net-error", 25, "v4", { method: "GET", url: "https://shop.example/api/products/18", status: 500 }],
    ["error-click", 35, "v2", { messsage: "Checkout button failed" }],
    ["js-error", 15, "v5", { value: XSS }],
    ["custom", 10, "v4", { name: "Signup" }],
    ["custom", 10, "v5", { name: "Signup" }],
    ["custom", 10, "v6", { name: "Signup" }],
  ];
  for (const [fixture, minutesAgo, visitor, fields] of sends) await send(request, secret, SITE, fixture, minutesAgo, visitor, fields);
  const other = await websiteSecret(request, baseURL, OTHER_SITE);
  await send(request, other, OTHER_SITE, "js-error", 30, "v1", { value: TYPE_ERROR });
}

const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);

test("the issues list matches the API, searches, filters and keeps its view in the URL; an issue page shows its figures", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  await seed(request, baseURL!);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const base = `/issues?website=${SITE}&range=24h&tz=UTC`;
  await page.goto(base);
  await expect(page.getByRole("heading", { name: "Issues", level: 1 })).toBeVisible();
  // The list shows errors and rage clicks (Custom events have their own page).
  const { issues } = await api<{ issues: ApiIssue[] }>(page, `/api/issues?websiteId=${SITE}&tz=UTC&kind=JSError,NetError,ErrorClick,RageClick`);
  expect(issues.map((i) => [i.title, i.events, i.totalEvents, i.visitors])).toEqual([
    [TYPE_ERROR, 4, 5, 3],
    ...issues.slice(1).map((i) => [i.title, i.events, i.totalEvents, i.visitors]),
  ]);
  expect(issues).toHaveLength(4);
  const rows = page.locator("table.issue-list tbody tr");
  await expect(rows).toHaveCount(issues.length);
  for (const [i, issue] of issues.entries()) {
    const row = rows.nth(i);
    await expect(row).toHaveAttribute("data-issue-id", issue.id);
    await expect(row.locator('[data-figure="events"]')).toHaveText(String(issue.events));
    await expect(row.locator('[data-figure="totalEvents"]')).toHaveText(String(issue.totalEvents));
    await expect(row.locator('[data-figure="visitors"]')).toHaveText(String(issue.visitors));
    await expect(row.locator(".issue-link")).toHaveText(issue.title);
    await expect(row.locator(".kind")).toHaveText(issue.kind);
  }
  await expect(rows.nth(0).locator("[data-status]")).toHaveText("Ongoing");
  await expect(page.locator(`tr[data-issue-id] [data-status="New"]`)).toHaveCount(3);
  // A title from a visitor's browser is text, never markup.
  const xssRow = page.locator("tr", { has: page.getByText(XSS, { exact: true }) });
  await expect(xssRow).toHaveCount(1);
  await expect(page.locator("table.issue-list img")).toHaveCount(0);
  await shoot(page, "list");

  // Search through the form; the URL keeps it, and a reload shows the same list.
  await page.getByRole("searchbox", { name: "Search issue titles" }).fill("cart is");
  await page.getByRole("searchbox", { name: "Search issue titles" }).press("Enter");
  await expect(page).toHaveURL(/[?&]q=cart\+is/);
  await expect(page).toHaveURL(new RegExp(`website=${SITE}`));
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0).locator(".issue-link")).toHaveText(TYPE_ERROR);
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search issue titles" })).toHaveValue("cart is");
  await expect(rows).toHaveCount(1);
  await page.getByRole("searchbox", { name: "Search issue titles" }).fill("no such issue anywhere");
  await page.getByRole("searchbox", { name: "Search issue titles" }).press("Enter");
  await expect(page.getByText("No issues match")).toBeVisible();
  await page.getByRole("link", { name: "Clear the search and kind filter" }).click();
  await expect(rows).toHaveCount(4);

  // The kind filter of the view.
  await page.getByRole("link", { name: "Network errors" }).click();
  await expect(page).toHaveURL(/kind=NetError/);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0).locator(".kind")).toHaveText("NetError");
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Network errors" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("link", { name: "Network errors" }).click();
  await expect(rows).toHaveCount(4);

  // Sort by first seen: the three-day-old issue goes last.
  await page.locator("th a[data-sort=firstSeen]").click();
  await expect(page).toHaveURL(/sort=firstSeen/);
  await expect(rows.nth(3).locator(".issue-link")).toHaveText(TYPE_ERROR);
  await expect(page.locator("th[aria-sort=descending]")).toContainText("First seen");

  // The CSV export is the API's list.
  const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
  expect(csvHref).toContain(`websiteId=${SITE}`);
  const csvText = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref!);
  expect(csvText.trim().split("\n")).toHaveLength(1 + issues.length);

  // Open the issue.
  const typeError = issues[0]!;
  await page.getByRole("link", { name: TYPE_ERROR }).click();
  await expect(page).toHaveURL(new RegExp(`/issues/${typeError.id}\\?`));
  await expect(page).toHaveURL(new RegExp(`website=${SITE}`));
  const summary = (await api<{ issue: ApiIssue & { lastSeen: string } }>(page, `/api/issues/${typeError.id}?websiteId=${SITE}`)).issue;
  expect([summary.totalEvents, summary.visitors]).toEqual([5, 3]);
  const header = page.locator("section.issue-header");
  await expect(header.locator(".issue-heading")).toHaveText(TYPE_ERROR);
  await expect(header.locator('[data-figure="events"] dd')).toHaveText("4");
  await expect(header.locator('[data-figure="totalEvents"] dd')).toHaveText(String(summary.totalEvents));
  await expect(header.locator('[data-figure="visitors"] dd')).toHaveText(String(summary.visitors));
  await expect(header.locator("[data-status]")).toHaveText("Ongoing");

  const trend = await api<{ total: number }>(page, `/api/issues/${typeError.id}/trend?websiteId=${SITE}&tz=UTC`);
  expect(trend.total).toBe(4);
  await expect(page.getByText(`${trend.total} events, per 15 min`)).toBeVisible();
  await expect(page.locator("section[aria-label='Events over time'] .recharts-bar-rectangle").first()).toBeVisible();

  const countries = page.locator('[data-breakdown="country"] li.bar-row');
  await expect(countries).toHaveCount(2);
  await expect(countries.nth(0)).toHaveAttribute("data-key", "PL");
  await expect(countries.nth(0).locator(".bar-count")).toHaveText("3");
  await expect(page.locator('[data-breakdown="url"]')).toContainText("LiveSession sends no page URL with JSError events");
  const visitors = page.locator('[data-breakdown="visitor"] li.bar-row');
  await expect(visitors).toHaveCount(3);
  await expect(visitors.nth(0).locator("a")).toHaveText("Visitor V1");
  await expect(visitors.nth(0).locator("a")).toHaveAttribute("href", new RegExp(`^/visitors/v1\\?website=${SITE}`));

  const correlation = page.locator('tr[data-param="plan"][data-value="pro"]');
  await expect(correlation).toBeVisible();
  await expect(correlation.locator(".lift")).toHaveText("×2.00");

  const occurrences = page.locator("li.occurrence");
  await expect(occurrences).toHaveCount(4);
  await expect(occurrences.nth(0)).toContainText("Visitor V3");
  await expect(occurrences.nth(0)).toContainText(TYPE_ERROR);
  await expect(occurrences.nth(0).getByRole("link", { name: "Visitor V3" })).toHaveAttribute("href", new RegExp("^/visitors/v3\\?"));
  await shoot(page, "issue");

  // Reload keeps the same view; a longer range counts the older event too.
  await page.reload();
  await expect(header.locator('[data-figure="events"] dd')).toHaveText("4");
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(header.locator('[data-figure="events"] dd')).toHaveText("5");
  await expect(occurrences).toHaveCount(5);

  // A NetError issue lists its request URLs, as text.
  const netError = issues.find((i) => i.kind === "NetError")!;
  await page.goto(`/issues/${netError.id}?website=${SITE}&range=24h&tz=UTC`);
  const urls = page.locator('[data-breakdown="url"] li.bar-row');
  await expect(urls).toHaveCount(2);
  await expect(urls.nth(0).locator("code")).toHaveText(/^https:\/\/shop\.example\/api\/products\/1[78]/);
  await expect(page.locator('[data-breakdown="url"] a')).toHaveCount(0);
  await expect(page.locator("li.occurrence").first()).toContainText("Status500");
  await shoot(page, "issue-net-error");

  // The XSS issue page shows the title as text.
  const xss = issues.find((i) => i.title === XSS)!;
  await page.goto(`/issues/${xss.id}?website=${SITE}&range=24h&tz=UTC`);
  await expect(page.locator(".issue-heading")).toHaveText(XSS);
  await expect(page.locator("main img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

// The page reads the issue before anything streams, so an unknown one is a real 404.
async function expectNotFound(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Issue not found" })).toBeVisible();
  await expect(page.locator('meta[name="robots"][content="noindex"]').first()).toBeAttached();
  await expect(page.locator("section.issue-header")).toHaveCount(0);
}

test("an unknown issue, or another website's, is a 404 page", async ({ page }) => {
  // Seven page loads and four full-page screenshots: more than the default on a busy machine.
  test.setTimeout(90_000);
  await expectNotFound(page, `/issues/123456789?website=${SITE}`);
  await shoot(page, "not-found");
  await expectNotFound(page, `/issues/not-a-number`);
  await expectNotFound(page, `/issues/99999999999999999999999`);
  const { issues } = await api<{ issues: ApiIssue[] }>(page, `/api/issues?websiteId=${OTHER_SITE}&tz=UTC`);
  expect(issues).toHaveLength(1);
  await expectNotFound(page, `/issues/${issues[0]!.id}?website=${SITE}`);
  await expectNotFound(page, `/issues/${issues[0]!.id}?website=no-such-website`);
  // Without a website in the URL, the issue opens in its own website.
  const own = await page.goto(`/issues/${issues[0]!.id}`);
  expect(own?.status()).toBe(200);
  await expect(page.locator(".issue-heading")).toHaveText(TYPE_ERROR);
  await expect(page.getByLabel("Website")).toHaveValue(OTHER_SITE);
  // The not-found page's link leads back to the list.
  await expectNotFound(page, `/issues/123456789?website=${SITE}`);
  await page.getByRole("link", { name: "Back to the issues" }).click();
  await expect(page.getByRole("heading", { name: "Issues", level: 1 })).toBeVisible();
});

test("a website without issues in the range shows an empty list", async ({ page }) => {
  await page.goto(`/issues?website=${SITE}&range=custom&from=2020-01-01T00:00&to=2020-01-02T00:00&tz=UTC`);
  await expect(page.getByText("No issues in this range")).toBeVisible();
  await shoot(page, "empty");
});

test("an issue's occurrences page back and forth, and the page is in the URL", async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  const secret = await websiteSecret(request, baseURL!, SITE);
  for (let i = 0; i < 23; i++) await send(request, secret, SITE, "js-error", 100 + i, `p${i % 4}`, { value: "RangeError: paged" });
  await page.goto(`/issues?website=${SITE}&range=24h&tz=UTC&q=paged`);
  await page.getByRole("link", { name: "RangeError: paged" }).click();
  const occurrences = page.locator("li.occurrence");
  await expect(occurrences).toHaveCount(20);
  await expect(page.locator('section.issue-header [data-figure="events"] dd')).toHaveText("23");
  const newest = await occurrences.first().getAttribute("data-message-id");
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(occurrences).toHaveCount(3);
  await page.reload();
  await expect(occurrences).toHaveCount(3);
  await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(occurrences).toHaveCount(20);
  await expect(page).not.toHaveURL(/[?&]cursor=/);
  await expect(occurrences.first()).toHaveAttribute("data-message-id", newest!);
});
