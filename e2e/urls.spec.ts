import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { api, sendAgo, shoot as shootIn } from "./helpers";

const SITE = "e2e-urls";
const SHOTS = "/tmp/shots/urls";
const PRODUCTS = "https://shop.example/api/products/:id";
const XSS_PATH = `/<img src=x onerror="window.__xss=1">`;

async function send(request: APIRequestContext, minutesAgo: number, visitor: string, country: string, fields: Record<string, unknown>) {
  await sendAgo(request, "net-error", SITE, minutesAgo, (d) => {
    Object.assign(d.payload, fields);
    d.payload.visitor.id = visitor;
    d.payload.visitor.name = visitor === "v-ada" ? "Ada <b>Lovelace</b>" : null;
    d.payload.visitor.email = null;
    d.payload.visitor.geolocation = { country_code: country, city: null, region: null };
  });
}

const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);

type Url = { id: string; method: string; template: string; events: number; share: number; perHour: number; statuses: { status: number; events: number }[]; visitors: number };

test("the URLs page lists failing endpoints with the API's figures, filters and keeps the view", async ({ page, request }) => {
  // Many steps and twelve full-page screenshots: more than the default on a busy machine.
  test.setTimeout(120_000);
  await send(request, 5, "v-ada", "PL", { method: "GET", url: "https://shop.example/api/products/1?x=1", status: 500 });
  await send(request, 15, "v-bob", "DE", { method: "GET", url: "https://shop.example/api/products/2", status: 500 });
  await send(request, 25, "v-ada", "PL", { method: "GET", url: "https://shop.example/api/products/3", status: 503 });
  await send(request, 35, "v-cy", "DE", { method: "POST", url: "https://shop.example/api/cart", status: 502 });
  await send(request, 45, "v-cy", "US", { method: "GET", url: XSS_PATH, status: 404 });

  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`/urls?website=${SITE}&range=24h&tz=UTC`);
  await expect(page.getByRole("heading", { name: "URLs", level: 1 })).toBeVisible();
  const list = await api<{ total: number; endpoints: number; urls: Url[] }>(page, `/api/urls?websiteId=${SITE}&tz=UTC`);
  expect([list.total, list.endpoints]).toEqual([5, 3]);
  expect(list.urls.map((u) => [u.method, u.template, u.events])).toEqual([
    ["GET", PRODUCTS, 3],
    ["GET", XSS_PATH, 1],
    ["POST", "https://shop.example/api/cart", 1],
  ]);

  await expect(page.locator("[data-figure=summary]")).toContainText("5 failed requests in the last 24 hours");
  await expect(page.locator("[data-figure=summary]")).toContainText("3 endpoints");
  const rows = page.locator("section[aria-label='Failing endpoints'] tbody tr");
  await expect(rows).toHaveCount(3);
  const first = rows.nth(0);
  await expect(first).toHaveAttribute("data-url-id", list.urls[0]!.id);
  await expect(first.locator("[data-figure=events]")).toHaveText("3");
  await expect(first.locator("[data-figure=share]")).toHaveText("60%");
  // Per hour over the range the rollup counted (widened to whole hours).
  await expect(first.locator("[data-figure=perHour]")).toHaveText(list.urls[0]!.perHour.toFixed(2).replace(/\.?0+$/, ""));
  await expect(first.locator("[data-figure=visitors]")).toHaveText(String(list.urls[0]!.visitors));
  await expect(first.locator("[data-status='500']")).toContainText("500×2");
  await expect(first.locator("[data-status='503']")).toContainText("503×1");
  // A path a browser sent with HTML in it is text, never markup.
  await expect(page.getByText(XSS_PATH)).toBeVisible();
  await expect(page.locator("section[aria-label='Failing endpoints'] img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  await shoot(page, "urls");

  // A status chip narrows the list; a reload keeps it.
  await first.locator("[data-status='503'] a").click();
  await expect(page).toHaveURL(/status=503/);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0).locator("[data-figure=events]")).toHaveText("1");
  await page.reload();
  await expect(rows).toHaveCount(1);
  await page.getByRole("link", { name: "Show every status" }).click();
  await expect(rows).toHaveCount(3);

  // A country filter through the view's filter form; the list and the API agree, and a reload keeps it.
  await page.getByLabel("Filter", { exact: true }).selectOption("country");
  await page.getByLabel("Value", { exact: true }).fill("DE");
  await page.getByRole("button", { name: "Add filter" }).click();
  await expect(page).toHaveURL(/country=DE/);
  const de = await api<{ total: number; urls: Url[] }>(page, `/api/urls?websiteId=${SITE}&tz=UTC&country=DE`);
  expect(de.urls.map((u) => [u.method, u.events])).toEqual([
    ["GET", 1],
    ["POST", 1],
  ]);
  await expect(rows).toHaveCount(2);
  await expect(page.locator("[data-figure=summary]")).toContainText("2 failed requests");
  await page.reload();
  await expect(rows).toHaveCount(2);

  // Search.
  await page.getByLabel("Search URLs").fill("cart");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=cart/);
  await expect(page).toHaveURL(/country=DE/);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText("https://shop.example/api/cart");
  expect(dialogs).toEqual([]);
});

test("a URL page shows the template's trend, statuses, visitors and latest requests", async ({ page }) => {
  // Many steps and twelve full-page screenshots: more than the default on a busy machine.
  test.setTimeout(120_000);
  await page.goto(`/urls?website=${SITE}&range=24h&tz=UTC`);
  await page.locator(`tr[data-method=GET] a.endpoint-template`, { hasText: PRODUCTS }).click();
  await expect(page).toHaveURL(/\/urls\/[A-Za-z0-9_-]+\?.*method=GET/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const detail = await api<{
    template: string;
    events: number;
    share: number;
    visitors: number;
    statuses: { status: number; events: number }[];
    latest: { url: string; visitorId: string }[];
    visitorsHit: { visitorId: string; label: string; events: number }[];
  }>(page, `/api/urls/${id}?websiteId=${SITE}&tz=UTC&method=GET`);
  expect(detail.template).toBe(PRODUCTS);
  expect([detail.events, detail.share]).toEqual([3, 0.6]);
  await expect(page.locator("code.url-template")).toHaveText(PRODUCTS);
  await expect(page.locator("[data-figure=events] dd")).toHaveText("3");
  await expect(page.locator("[data-figure=share] dd")).toHaveText("60%");
  await expect(page.locator("[data-figure=visitors] dd")).toHaveText(String(detail.visitors));
  await expect(page.locator("[data-bars=status] li[data-key='500'] .bar-count")).toHaveText("2");
  await expect(page.locator("[data-bars=status] li[data-key='503'] .bar-count")).toHaveText("1");
  await expect(page.locator("[data-bars=country] li[data-key=PL] .bar-count")).toHaveText("2");
  await expect(page.locator(".recharts-area").first()).toBeAttached();
  // Latest requests: the full URL as text, newest first; visitors link to their page.
  const latest = page.locator("section[aria-label='Latest failing requests'] tbody tr");
  await expect(latest).toHaveCount(3);
  await expect(latest.nth(0).locator("code")).toHaveText("https://shop.example/api/products/1?x=1");
  await expect(latest.nth(0).getByRole("link", { name: "Ada <b>Lovelace</b>" })).toHaveAttribute("href", /^\/visitors\/v-ada\?/);
  await expect(page.locator("section[aria-label='Visitors hit'] tr[data-visitor-id=v-ada] td.num")).toHaveText("2");
  await shoot(page, "url");

  // The method switch and the range are in the URL; a reload keeps them.
  await page.getByRole("navigation", { name: "Method" }).getByRole("link", { name: "All methods" }).click();
  await expect(page).not.toHaveURL(/method=/);
  await page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await page.reload();
  await expect(page.locator("[data-figure=events] dd")).toHaveText("3");

  const known = await page.goto(`/urls/${id}?website=${SITE}`);
  expect(known?.status()).toBe(200);
  await expect(page.locator("code.url-template")).toHaveText(PRODUCTS);
  // An id that is no template of this website, no id at all, or a website there is none of: a 404 page.
  for (const path of [`/urls/bm90aGluZw?website=${SITE}`, `/urls/not%20an%20id?website=${SITE}`, `/urls/${id}?website=no-such-website`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "URL not found" })).toBeVisible();
    await expect(page.locator("[data-state=not-found]")).toContainText("No failed requests to this URL on this website.");
    await expect(page.locator('meta[name="robots"][content="noindex"]').first()).toBeAttached();
  }
  await shoot(page, "url-not-found");
  await page.getByRole("link", { name: "See the failing URLs" }).click();
  await expect(page.getByRole("heading", { name: "URLs", level: 1 })).toBeVisible();
});
