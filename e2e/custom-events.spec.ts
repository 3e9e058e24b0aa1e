import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { delivery } from "../lib/testing/deliveries";
import { api, sendAgo, shoot as shootIn } from "./helpers";

const SITE = "e2e-custom";
const SHOTS = "/tmp/shots/custom-events";

async function send(request: APIRequestContext, minutesAgo: number, visitor: string, country: string, name: string, properties: Record<string, unknown>) {
  await sendAgo(request, "custom", SITE, minutesAgo, (d) => {
    d.payload.name = name;
    d.payload.properties = properties;
    d.payload.visitor.id = visitor;
    d.payload.visitor.geolocation = { country_code: country, city: null, region: null };
  });
}

const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);

test("custom events: names with the API's counts, then a property's values, distribution and true/false split", async ({ page, request }) => {
  // Many steps and twelve full-page screenshots: more than the default on a busy machine.
  test.setTimeout(120_000);
  const plans = ["pro", "pro", "free", "team", "pro"];
  for (const [i, plan] of plans.entries()) {
    await send(request, 5 + i * 10, `v-${i % 3}`, i % 2 ? "DE" : "PL", "Checkout", {
      plan_str: plan,
      items_int: i + 1,
      total_float: 10.5 * (i + 1),
      coupon_bool: i % 2 === 0,
    });
  }
  await send(request, 8, "v-9", "PL", "Search <script>window.__xss=1</script>", { query_str: "<img src=x onerror=window.__xss=2>" });

  await page.goto(`/custom-events?website=${SITE}&range=24h&tz=UTC`);
  await expect(page.getByRole("heading", { name: "Custom events", level: 1 })).toBeVisible();
  const list = await api<{ total: number; events: { name: string; events: number; share: number; visitors: number }[] }>(page, `/api/custom-events?websiteId=${SITE}&tz=UTC`);
  expect(list.total).toBe(6);
  expect(list.events.map((e) => [e.name, e.events, e.share])).toEqual([
    ["Checkout", 5, 0.8333],
    ["Search <script>window.__xss=1</script>", 1, 0.1667],
  ]);
  await expect(page.locator("[data-figure=summary]")).toHaveText("6 custom events in the last 24 hours");
  const rows = page.locator("section[aria-label='Custom event names'] tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator("[data-figure=events]")).toHaveText("5");
  await expect(rows.nth(0).locator("[data-figure=share]")).toHaveText("83.3%");
  await expect(rows.nth(0).locator("[data-figure=visitors]")).toHaveText("3");
  await expect(rows.nth(1).locator("a")).toHaveText("Search <script>window.__xss=1</script>");

  // The first name is chosen: its keys with their types, and the first key's top values.
  const detail = page.locator("section[aria-label='Properties']");
  await expect(detail).toHaveAttribute("data-selected-name", "Checkout");
  const keys = await api<{ properties: { key: string; type: string; events: number }[] }>(page, `/api/custom-events/properties?websiteId=${SITE}&tz=UTC&name=Checkout`);
  expect(keys.properties.map((p) => [p.key, p.type, p.events])).toEqual([
    ["coupon_bool", "bool", 5],
    ["items_int", "int", 5],
    ["plan_str", "str", 5],
    ["total_float", "float", 5],
  ]);
  await expect(detail.locator(".property-list li")).toHaveCount(4);
  await expect(detail.locator(".property-list li").nth(1)).toContainText("integer");
  await expect(detail.locator(".recharts-bar-rectangle").first()).toBeVisible();

  // A string key: top values with counts.
  await detail.getByRole("link", { name: /plan_str/ }).click();
  await expect(page).toHaveURL(/property=plan_str/);
  const values = detail.locator(".property-breakdown li.bar-row");
  await expect(values).toHaveCount(3);
  await expect(values.nth(0)).toHaveAttribute("data-value", "pro");
  await expect(values.nth(0).locator(".bar-count")).toHaveText("3");
  await shoot(page, "custom-events-values");

  // A number key: statistics and a histogram matching the API.
  await detail.getByRole("link", { name: /total_float/ }).click();
  const numeric = await api<{ breakdown: { min: number; max: number; avg: number; p50: number } }>(
    page,
    `/api/custom-events/properties?websiteId=${SITE}&tz=UTC&name=Checkout&property=total_float`,
  );
  expect(numeric.breakdown).toMatchObject({ min: 10.5, max: 52.5, avg: 31.5, p50: 31.5 });
  await expect(detail.locator("[data-stat=Min] dd")).toHaveText("10.5");
  await expect(detail.locator("[data-stat=Max] dd")).toHaveText("52.5");
  await expect(detail.locator("[data-stat=Avg] dd")).toHaveText("31.5");
  await expect(detail.locator(".histogram li")).toHaveCount(10);
  await shoot(page, "custom-events-numeric");

  // A boolean key: the true/false split.
  await detail.getByRole("link", { name: /coupon_bool/ }).click();
  await expect(detail.locator(".bool-legend [data-value=true] dd")).toHaveText("3 · 60%");
  await expect(detail.locator(".bool-legend [data-value=false] dd")).toHaveText("2 · 40%");
  await shoot(page, "custom-events-boolean");

  // A country filter through the view's filter form narrows names and properties; a reload keeps it.
  await page.getByLabel("Filter", { exact: true }).selectOption("country");
  await page.getByLabel("Value", { exact: true }).fill("DE");
  await page.getByRole("button", { name: "Add filter" }).click();
  await expect(page).toHaveURL(/country=DE/);
  await expect(page).toHaveURL(/property=coupon_bool/);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0).locator("[data-figure=events]")).toHaveText("2");
  await expect(detail.locator(".bool-legend [data-value=false] dd")).toHaveText("2 · 100%");
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expect(detail.locator(".bool-legend [data-value=false] dd")).toHaveText("2 · 100%");

  // The other name: its property value is text, nothing runs.
  await page.goto(`/custom-events?website=${SITE}&range=24h&tz=UTC`);
  await rows.nth(1).locator("a").click();
  await expect(detail).toHaveAttribute("data-selected-name", "Search <script>window.__xss=1</script>");
  await expect(detail.locator(".property-breakdown li.bar-row").nth(0)).toHaveAttribute("data-value", "<img src=x onerror=window.__xss=2>");
  await expect(detail.locator(".property-breakdown img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
});

test("custom events: an empty website shows an empty state", async ({ page, request }) => {
  // A website with only a network error: no custom events.
  const { body } = delivery("net-error", (d) => (d.website_id = "e2e-custom-empty"));
  expect((await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } })).status()).toBe(200);
  await page.goto("/custom-events?website=e2e-custom-empty&range=24h&tz=UTC");
  await expect(page.getByText("No custom events in the last 24 hours.")).toBeVisible();
  await shoot(page, "custom-events-empty");
});
