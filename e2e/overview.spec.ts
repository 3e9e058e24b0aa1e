import { expect, test } from "@playwright/test";
import { delivery } from "../lib/testing/deliveries";

test("a posted webhook shows up on the latest-events page", async ({ page, request }) => {
  const { body, messageId } = delivery("net-error", (d) => {
    d.payload.url = "https://shop.example/api/cart/9912?session=x";
    d.payload.status = 503;
    d.payload.visitor.name = "Ada Lovelace";
    d.payload.visitor.geolocation = { country_code: "GB", city: "London", region: "England" };
  });
  const response = await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } });
  expect(response.status()).toBe(200);

  await page.goto("/");
  const row = page.locator(`tr[data-message-id="${messageId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("NetError");
  await expect(row).toContainText("Ada Lovelace");
  await expect(row).toContainText("GB · London");
  await expect(row).toContainText("GET https://shop.example/api/cart/9912?session=x 503");
  await page.screenshot({ path: "test-results/screenshots/latest-events.png", fullPage: true });
});

test("HTML and script from a visitor's browser are shown as text, never run", async ({ page, request }) => {
  const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
  const { body, messageId } = delivery("js-error", (d) => {
    d.payload.value = payload;
    d.payload.visitor.name = `<b onmouseover="window.__xss=3">Mallory</b>`;
  });
  const response = await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } });
  expect(response.status()).toBe(200);

  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto("/");
  const row = page.locator(`tr[data-message-id="${messageId}"]`);
  await expect(row.locator("td.summary")).toHaveText(payload);
  await expect(row).toContainText(`<b onmouseover="window.__xss=3">Mallory</b>`);
  await expect(row.locator("img, script, b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test("the overview charts today's events and its figures match the API", async ({ page, request }) => {
  const now = Math.floor(Date.now() / 1000);
  for (const [i, fixture] of (["js-error", "net-error", "rage-click", "custom"] as const).entries()) {
    const { body } = delivery(fixture, (d) => {
      d.website_id = "e2e-overview";
      d.created_at = now - i * 60;
      d.payload.time = (now - i * 60) * 1000;
      // Two countries, so the breakdown has an order: PL (JS error, rage click), then GB.
      const country = fixture === "net-error" ? { country_code: "GB", city: "London", region: "England" } : { country_code: "PL", city: "Warsaw", region: "Mazovia" };
      d.payload.visitor.geolocation = country;
    });
    expect((await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } })).status()).toBe(200);
  }

  await page.goto("/?website=e2e-overview&range=24h&tz=UTC");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByLabel("Website")).toHaveValue("e2e-overview");
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const api = await page.evaluate(async () => {
    const response = await fetch("/api/stats/timeseries?websiteId=e2e-overview&tz=UTC");
    return (await response.json()) as { points: { values: Record<string, number> }[] };
  });
  const total = api.points.reduce((sum, p) => sum + Object.values(p.values).reduce((a, b) => a + b, 0), 0);
  expect(total).toBe(4);
  await expect(page.getByText(`${total} events in the last 24 hours`)).toBeVisible();

  // Totals: each card shows the API's figure for the same range (the last 24 hours).
  const totals = await page.evaluate(async () => {
    const response = await fetch("/api/stats/totals?websiteId=e2e-overview&tz=UTC");
    return (await response.json()) as { current: Record<string, number>; previous: Record<string, number> };
  });
  expect(totals.current.JSError).toBe(1);
  for (const figure of ["JSError", "NetError", "RageClick", "Custom", "affectedVisitors"]) {
    const card = page.locator(`[data-figure="${figure}"]`);
    await expect(card.locator(".total-value")).toHaveText(totals.current[figure]!.toLocaleString("en-US"));
  }
  // Nothing the day before: an error figure is "new" (bad news), custom events neutral.
  expect(totals.previous.JSError).toBe(0);
  await expect(page.locator('[data-figure="JSError"] .delta')).toHaveText("new");
  await expect(page.locator('[data-figure="JSError"] .delta')).toHaveClass(/delta-bad/);
  await expect(page.locator('[data-figure="Custom"] .delta')).toHaveClass(/delta-neutral/);

  // Breakdowns: the top country and the failing endpoint are the API's first rows, with its counts.
  type BreakdownRow = { key: string; label: string; events: number };
  const breakdown = (by: string) =>
    page.evaluate(async (by) => {
      const response = await fetch(`/api/stats/breakdown?websiteId=e2e-overview&tz=UTC&by=${by}&limit=5`);
      return (await response.json()) as { rows: BreakdownRow[]; other: { events: number } };
    }, by);
  const byCountry = await breakdown("country");
  expect(byCountry.rows.map((r) => [r.key, r.events])).toEqual([
    ["PL", 2],
    ["GB", 1],
  ]);
  const countryRows = page.locator('[data-breakdown="country"] li.bar-row');
  await expect(countryRows).toHaveCount(2);
  await expect(countryRows.nth(0)).toHaveAttribute("data-key", "PL");
  await expect(countryRows.nth(0).locator(".bar-label")).toContainText("(PL)");
  await expect(countryRows.nth(0).locator(".bar-count")).toHaveText(String(byCountry.rows[0]!.events));
  const byUrl = await breakdown("url");
  expect(byUrl.rows).toHaveLength(1);
  const urlRow = page.locator(`[data-breakdown="url"] li[data-key="${byUrl.rows[0]!.key}"]`);
  await expect(urlRow.locator(".bar-label")).toHaveText(byUrl.rows[0]!.label);
  await expect(urlRow.locator(".bar-count")).toHaveText(String(byUrl.rows[0]!.events));
  await expect(page.locator('[data-breakdown="country"] .recharts-area').first()).toBeAttached();

  // Top issues: one row per issue with an event in the range, the most frequent first.
  await expect(page.locator("section[aria-label='Top issues'] tbody tr")).toHaveCount(4);

  // The view is in the URL: another range is a link, and a reload keeps it.
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await page.reload();
  await expect(page.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByText("4 events in the last 7 days, per 1 h")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });

  // Filters through the UI: a country from the breakdown, then a kind toggle; every figure
  // follows the API with the same filters, and a reload keeps them.
  await countryRows.nth(0).locator(".bar-label").click();
  await expect(page).toHaveURL(/country=PL/);
  await expect(page.locator(".filter-chip")).toContainText("Country: PL");
  const filtered = async (query: string) =>
    page.evaluate(async (query) => {
      const response = await fetch(`/api/stats/totals?websiteId=e2e-overview&tz=UTC&${query}`);
      return ((await response.json()) as { current: Record<string, number> }).current;
    }, query);
  const inPoland = await filtered("country=PL");
  expect([inPoland.JSError, inPoland.NetError, inPoland.RageClick, inPoland.Custom]).toEqual([1, 0, 1, 1]);
  for (const figure of ["JSError", "NetError", "RageClick", "Custom"]) {
    await expect(page.locator(`[data-figure="${figure}"] .total-value`)).toHaveText(String(inPoland[figure]));
  }
  const rageToggle = page.getByRole("navigation", { name: "Kinds" }).getByRole("link", { name: "Rage clicks" });
  await rageToggle.click();
  await expect(page).toHaveURL(/kind=RageClick/);
  await page.reload();
  await expect(rageToggle).toHaveAttribute("aria-pressed", "true");
  const rageInPoland = await filtered("country=PL&kind=RageClick");
  expect([rageInPoland.JSError, rageInPoland.RageClick]).toEqual([0, 1]);
  await expect(page.locator('[data-figure="RageClick"] .total-value')).toHaveText("1");
  await expect(page.locator('[data-figure="JSError"] .total-value')).toHaveText("0");
  await expect(page.locator("section[aria-label='Top issues'] tbody tr")).toHaveCount(1);
  // Removing the country filter keeps the kind.
  await page.getByRole("link", { name: "Remove the country filter" }).click();
  await expect(page).not.toHaveURL(/country=/);
  await expect(page).toHaveURL(/kind=RageClick/);
});
