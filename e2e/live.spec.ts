// The overview updates live: webhooks posted while the page is open show up without a reload,
// for every kind; filters hold for live updates; another website's events never show; a
// paused feed holds new events behind "N new"; after a disconnect the page resynchronises to
// exactly the API's figures.
import { mkdirSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { FixtureName } from "../lib/testing/deliveries";
import { sendAgo } from "./helpers";

const SHOTS = "/tmp/shots/live";

/** A delivery that happened now. */
const post = (request: APIRequestContext, fixture: FixtureName, website: string, change?: (d: Record<string, any>) => void) =>
  sendAgo(request, fixture, website, 0, change);

const figure = (page: Page, key: string) => page.locator(`[data-figure="${key}"] .total-value`);
const number = async (page: Page, key: string) => Number((await figure(page, key).textContent())!.replace(/,/g, ""));

async function openLive(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "live");
}

async function apiFigures(page: Page, website: string) {
  return page.evaluate(async (website) => {
    const totals = await (await fetch(`/api/stats/totals?websiteId=${website}&tz=UTC`)).json();
    const series = await (await fetch(`/api/stats/timeseries?websiteId=${website}&tz=UTC`)).json();
    const trend = (series.points as { values: Record<string, number> }[]).reduce((sum, p) => sum + Object.values(p.values).reduce((a, b) => a + b, 0), 0);
    return { current: totals.current as Record<string, number>, trend };
  }, website);
}

async function expectMatchesApi(page: Page, website: string) {
  const api = await apiFigures(page, website);
  for (const key of ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]) {
    await expect(figure(page, key), key).toHaveText(api.current[key]!.toLocaleString("en-US"));
  }
  await expect(page.locator("[data-live-total]")).toHaveText(api.trend.toLocaleString("en-US"));
}

const KINDS: [FixtureName, string][] = [
  ["js-error", "JSError"],
  ["net-error", "NetError"],
  ["error-click", "ErrorClick"],
  ["rage-click", "RageClick"],
  ["custom", "Custom"],
];

test("the overview updates live for every kind, and never with another website's events", async ({ page, request }) => {
  // Every kind live, then four full-page screenshots: more steps than most tests.
  test.slow();
  const site = "e2e-live";
  await post(request, "js-error", site);
  await post(request, "js-error", "e2e-live-other");
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  await expectMatchesApi(page, site);

  for (const [fixture, kind] of KINDS) {
    const before = await number(page, kind);
    const total = Number((await page.locator("[data-live-total]").textContent())!.replace(/,/g, ""));
    const messageId = await post(request, fixture, site);
    // No reload: the row, the card and the trend's count change in place.
    await expect(page.locator(`tr[data-message-id="${messageId}"]`)).toBeVisible();
    await expect(page.locator(`tr[data-message-id="${messageId}"]`)).toContainText(kind);
    await expect(figure(page, kind)).toHaveText(String(before + 1));
    await expect(page.locator("[data-live-total]")).toHaveText(String(total + 1));
  }
  // The newest event is the first row.
  const other = await post(request, "rage-click", "e2e-live-other");
  const last = await post(request, "js-error", site);
  await expect(page.locator("[data-live-feed] tbody tr").first()).toHaveAttribute("data-message-id", last);
  await expect(page.locator(`tr[data-message-id="${other}"]`)).toHaveCount(0);
  await expectMatchesApi(page, site);
  // The bars did not re-animate: recharts' animated bars carry no transition after an update.
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();

  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/overview-${width}-${scheme}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 720 });
});

test("a filter holds for live updates", async ({ page, request }) => {
  const site = "e2e-live-filter";
  await post(request, "net-error", site);
  await openLive(page, `/?website=${site}&range=24h&tz=UTC&kind=NetError&country=DE`);
  const js = await post(request, "js-error", site, (d) => (d.payload.visitor.geolocation.country_code = "DE"));
  const netPl = await post(request, "net-error", site);
  const net = await post(request, "net-error", site, (d) => (d.payload.visitor.geolocation.country_code = "DE"));
  await expect(page.locator(`tr[data-message-id="${net}"]`)).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.locator(`tr[data-message-id="${js}"]`)).toHaveCount(0);
  await expect(page.locator(`tr[data-message-id="${netPl}"]`)).toHaveCount(0);
  await expect(page.locator("[data-live-feed] tbody tr")).toHaveCount(1);
});

test("a paused feed holds new events behind “N new”", async ({ page, request }) => {
  const site = "e2e-live-pause";
  await post(request, "custom", site);
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  await page.locator("[data-feed-pause]").click();
  const before = await number(page, "JSError");
  const ids = [await post(request, "js-error", site), await post(request, "js-error", site)];
  // Figures keep ticking; the feed waits.
  await expect(figure(page, "JSError")).toHaveText(String(before + 2));
  await expect(page.locator("[data-feed-resume]")).toHaveText("Show 2 new");
  for (const id of ids) await expect(page.locator(`tr[data-message-id="${id}"]`)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/overview-paused-1280-light.png` });
  await page.locator("[data-feed-resume]").click();
  for (const id of ids) await expect(page.locator(`tr[data-message-id="${id}"]`)).toBeVisible();
  await expect(page.locator("[data-feed-pause]")).toBeVisible();
});

test("after a disconnect the page shows it, reconnects and resynchronises the counts exactly", async ({ page, request, context }) => {
  const site = "e2e-live-resync";
  await post(request, "js-error", site);
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  await context.setOffline(true);
  await expect(page.locator("[data-live-status]")).not.toHaveAttribute("data-live-status", "live");
  await page.screenshot({ path: `${SHOTS}/overview-offline-1280-light.png`, clip: { x: 0, y: 0, width: 1280, height: 300 } });
  const missed = [await post(request, "js-error", site), await post(request, "rage-click", site), await post(request, "net-error", site)];
  await context.setOffline(false);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "live", { timeout: 20_000 });
  for (const id of missed) await expect(page.locator(`tr[data-message-id="${id}"]`)).toBeVisible();
  // And live again afterwards, each event counted once.
  await post(request, "js-error", site);
  await expect(figure(page, "JSError")).toHaveText("3");
  await expect(figure(page, "RageClick")).toHaveText("1");
  await expect(figure(page, "NetError")).toHaveText("1");
  await expectMatchesApi(page, site);
  await expect(page.locator("[data-live-feed] tbody tr")).toHaveCount(5);
});

test("the breakdowns and top issues re-rank live, read as JSON without reloading the page", async ({ page, request }) => {
  const site = "e2e-live-ranked";
  await post(request, "js-error", site);
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  const japan = page.locator(`[data-breakdown="country"] li[data-key="JP"]`);
  await expect(japan).toHaveCount(0);
  const read = page.waitForRequest((r) => r.url().includes("/api/stats/breakdown?") && r.url().includes("by=country"));
  for (let i = 0; i < 3; i++) await post(request, "js-error", site, (d) => (d.payload.visitor.geolocation.country_code = "JP"));
  await post(request, "net-error", site, (d) => (d.payload.url = "https://shop.example/ranked-live/checkout"));
  await read;
  // Japan's three events put it above Poland's two.
  await expect(page.locator(`[data-breakdown="country"] li.bar-row`).first()).toHaveAttribute("data-key", "JP");
  await expect(japan.locator(".bar-count")).toHaveText("3");
  await expect(page.locator(`[data-breakdown="url"]`)).toContainText("ranked-live");
  await expect(page.locator("section[aria-label='Top issues'] tbody tr")).toHaveCount(2);
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
});

test("a failed re-rank keeps the sections as they are and is asked again at the next interval", async ({ page, request }) => {
  // The retry comes OVERVIEW_REFRESH_MS (10 s) after the failed read.
  test.slow();
  const site = "e2e-live-ranked-retry";
  await post(request, "js-error", site);
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  let reads = 0;
  await page.route(
    (url) => url.pathname === "/api/stats/breakdown",
    (route) => (++reads === 1 ? route.abort() : route.continue()),
  );
  await post(request, "js-error", site, (d) => (d.payload.visitor.geolocation.country_code = "JP"));
  await expect.poll(() => reads).toBeGreaterThanOrEqual(3);
  await expect(page.locator(`[data-breakdown="country"] li[data-key="PL"] .bar-count`)).toHaveText("1");
  // One read is three breakdowns; the fourth request is the retry.
  await expect.poll(() => reads, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  await expect(page.locator(`[data-breakdown="country"] li[data-key="JP"] .bar-count`)).toHaveText("1");
});
