// Every dashboard page besides the overview keeps itself current: a webhook stored while the
// page is open shows up without a reload (a new issue, visitor, URL or custom event appears;
// counts grow), and a page only receives the events of its own filter (the issue's, the
// visitor's), filtered on the server.
import { expect, test, type Page } from "@playwright/test";
import { api, sendAgo, shoot } from "./helpers";

const SITE = "e2e-live-pages";
const SHOTS = "/tmp/shots/live-pages";
const VIEW = `website=${SITE}&range=24h&tz=UTC`;

async function openLive(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "live");
}

/** How many live events this page's socket has received. */
const received = async (page: Page) => Number(await page.locator("[data-live-received]").getAttribute("data-live-received"));

const jsError = (visitor: string, message: string) => (d: Record<string, any>) => {
  d.payload.value = message;
  d.payload.visitor.id = visitor;
  d.payload.visitor.name = `Visitor ${visitor}`;
};

test("the issues list shows a new issue, and an issue page counts its own events only", async ({ page, request }) => {
  await sendAgo(request, "js-error", SITE, 5, jsError("lp-1", "LiveError: first"));
  await openLive(page, `/issues?${VIEW}`);
  await expect(page.getByText("LiveError: first")).toBeVisible();

  await sendAgo(request, "js-error", SITE, 0, jsError("lp-1", "LiveError: brand new"));
  await expect(page.getByText("LiveError: brand new")).toBeVisible();

  const { issues } = await api<{ issues: { id: string; title: string }[] }>(page, `/api/issues?websiteId=${SITE}&tz=UTC`);
  const first = issues.find((i) => i.title === "LiveError: first")!;
  await openLive(page, `/issues/${first.id}?${VIEW}`);
  await expect(page.locator('[data-figure="events"] dd')).toHaveText("1");
  const before = await received(page);

  // Another issue's event is not sent to this page; its own is, and the page re-reads.
  await sendAgo(request, "js-error", SITE, 0, jsError("lp-2", "LiveError: brand new"));
  const own = await sendAgo(request, "js-error", SITE, 0, jsError("lp-2", "LiveError: first"));
  await expect(page.locator('[data-figure="events"] dd')).toHaveText("2");
  await expect(page.locator('[data-figure="visitors"] dd')).toHaveText("2");
  await expect(page.locator(`[data-message-id="${own}"]`)).toBeVisible();
  expect(await received(page)).toBe(before + 1);
  await shoot(page, SHOTS, "issue");
});

test("the visitors list shows a new visitor, and a visitor page follows that visitor only", async ({ page, request }) => {
  await sendAgo(request, "js-error", SITE, 5, jsError("lp-known", "LiveError: visitor"));
  await openLive(page, `/visitors?${VIEW}`);
  await expect(page.getByText("Visitor lp-known")).toBeVisible();
  await sendAgo(request, "rage-click", SITE, 0, (d) => {
    d.payload.visitor.id = "lp-newcomer";
    d.payload.visitor.name = "Live Newcomer";
  });
  await expect(page.getByText("Live Newcomer")).toBeVisible();

  await openLive(page, `/visitors/lp-known?${VIEW}`);
  const before = await received(page);
  await sendAgo(request, "js-error", SITE, 0, jsError("lp-other", "LiveError: someone else"));
  const own = await sendAgo(request, "js-error", SITE, 0, jsError("lp-known", "LiveError: on the timeline"));
  await expect(page.locator(`[data-message-id="${own}"]`)).toBeVisible();
  await expect(page.getByText("LiveError: someone else")).toHaveCount(0);
  expect(await received(page)).toBe(before + 1);
  await shoot(page, SHOTS, "visitor");
});

test("the URLs list shows a newly failing URL, and a URL page counts its failures", async ({ page, request }) => {
  const netError = (url: string, status: number) => (d: Record<string, any>) => {
    d.payload.url = url;
    d.payload.status = status;
    d.payload.method = "GET";
  };
  await sendAgo(request, "net-error", SITE, 5, netError("https://shop.example/api/live-cart", 500));
  await openLive(page, `/urls?${VIEW}`);
  const cart = page.locator("a", { hasText: "/api/live-cart" }).first();
  await expect(cart).toBeVisible();
  await sendAgo(request, "net-error", SITE, 0, netError("https://shop.example/api/live-stock", 503));
  await expect(page.locator("a", { hasText: "/api/live-stock" }).first()).toBeVisible();

  await page.goto((await cart.getAttribute("href"))!);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "live");
  await expect(page.locator('[data-figure="events"] dd')).toHaveText("1");
  await sendAgo(request, "net-error", SITE, 0, netError("https://shop.example/api/live-cart", 502));
  await expect(page.locator('[data-figure="events"] dd')).toHaveText("2");
  await shoot(page, SHOTS, "url");
});

test("the custom events page shows a new name and its count growing", async ({ page, request }) => {
  const custom = (name: string) => (d: Record<string, any>) => {
    d.payload.name = name;
  };
  await sendAgo(request, "custom", SITE, 5, custom("Live checkout"));
  await openLive(page, `/custom-events?${VIEW}`);
  const row = page.locator('tr[data-name="Live checkout"]');
  await expect(row).toBeVisible();
  await sendAgo(request, "custom", SITE, 0, custom("Live checkout"));
  await sendAgo(request, "custom", SITE, 0, custom("Live newsletter"));
  await expect(page.locator('tr[data-name="Live newsletter"]')).toBeVisible();
  await expect(row.locator('[data-figure="events"]')).toHaveText("2");
  await shoot(page, SHOTS, "custom-events");
});

test("the overview's top issues show a new issue without a reload", async ({ page, request }) => {
  const site = `${SITE}-overview`;
  await sendAgo(request, "js-error", site, 5, jsError("lp-3", "LiveError: already there"));
  await openLive(page, `/?website=${site}&range=24h&tz=UTC`);
  const top = page.locator('section[aria-label="Top issues"]');
  await expect(top.getByText("LiveError: already there")).toBeVisible();
  await sendAgo(request, "js-error", site, 0, jsError("lp-3", "LiveError: on the overview"));
  await expect(top.getByText("LiveError: on the overview")).toBeVisible();
});
