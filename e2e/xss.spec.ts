// Script from a payload never runs in the dashboard: deliveries carry HTML and script in every
// string a visitor's browser controls, and every dashboard page that shows them (the overview
// receiving one live, issues, an issue, visitors, a visitor, URLs, a URL, custom events with a
// property breakdown) shows the text literally, runs nothing, and links nowhere with javascript:.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { SCRIPT_PAYLOADS } from "../lib/testing/hostile";
import { api, sendAgo } from "./helpers";

const SITE = "e2e-xss";
const VIEW = `website=${SITE}&range=24h&tz=UTC`;

/** A payload for one field: markup that sets window.__xss if it ever runs, and the field's name. */
const hostile = (field: string, i: number) => `${SCRIPT_PAYLOADS[i % SCRIPT_PAYLOADS.length]} ${field}`;

const T = {
  message: hostile("js-message", 0),
  clickMessage: hostile("click-message", 1),
  liveMessage: hostile("live-message", 2),
  visitorId: `${hostile("visitor-id", 1)}/100%`,
  visitorName: hostile("visitor-name", 2),
  email: `"><svg onload=window.__xss=1>@example.test`,
  paramName: hostile("param-name", 4),
  paramValue: hostile("param-value", 5),
  city: hostile("city", 6),
  region: hostile("region", 7),
  url: `https://shop.example/<img src=x onerror=window.__xss=1>/checkout?q=<script>window.__xss=1</script>`,
  scriptUrl: "javascript:window.__xss=1//",
  customName: hostile("custom-name", 8),
  propertyKey: `<img src=x onerror=window.__xss=1>_str`,
  propertyValue: hostile("property-value", 9),
};

// Markup any of the payloads would create if it were parsed as HTML.
const INJECTED = "img[src='x'], svg[onload], iframe[srcdoc], details[ontoggle], [onerror], [onload], [onmouseover], [ontoggle]";

function visitor(d: Record<string, any>) {
  d.payload.visitor = {
    id: T.visitorId,
    name: T.visitorName,
    email: T.email,
    params: [{ name: T.paramName, value: T.paramValue }],
    geolocation: { country_code: "PL", city: T.city, region: T.region },
  };
}

async function seed(request: APIRequestContext) {
  await sendAgo(request, "js-error", SITE, 5, (d) => {
    visitor(d);
    d.payload.value = T.message;
  });
  await sendAgo(request, "error-click", SITE, 4, (d) => {
    visitor(d);
    delete d.payload.messsage;
    d.payload.message = T.clickMessage;
  });
  await sendAgo(request, "net-error", SITE, 3, (d) => {
    visitor(d);
    d.payload.url = T.url;
  });
  await sendAgo(request, "net-error", SITE, 3, (d) => {
    visitor(d);
    d.payload.url = T.scriptUrl;
  });
  await sendAgo(request, "rage-click", SITE, 2, visitor);
  await sendAgo(request, "custom", SITE, 1, (d) => {
    visitor(d);
    d.payload.name = T.customName;
    d.payload.properties = { [T.propertyKey]: T.propertyValue };
  });
}

/** Fails the test if the page ever opens a dialog. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

/** The page shows each text literally, holds no injected markup, no javascript: link, and ran nothing. */
async function expectInert(page: Page, texts: string[]) {
  await expect(page.locator("main h1")).toBeVisible();
  await expect(page.locator("main [aria-busy='true']")).toHaveCount(0);
  // As text in the page (some sits in collapsed details), never as markup.
  for (const text of texts) await expect(page.locator("main"), text).toContainText(text);
  await expect(page.locator(INJECTED)).toHaveCount(0);
  const scriptLinks = await page.locator("a[href]").evaluateAll((links) =>
    links.map((a) => a.getAttribute("href")!).filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)),
  );
  expect(scriptLinks).toEqual([]);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
}

// Several pages per test, on a machine that may be busy.
test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async ({ request }) => {
  await seed(request);
});

test("the overview shows hostile text from stored and live events as text", async ({ page, request }) => {
  const dialogs = watchDialogs(page);
  await page.goto(`/?${VIEW}`);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "live");
  await sendAgo(request, "js-error", SITE, 0, (d) => {
    visitor(d);
    d.payload.value = T.liveMessage;
  });
  await expect(page.locator("[data-live-feed]").getByText(T.liveMessage)).toBeVisible();
  await expectInert(page, [T.message, T.liveMessage, T.visitorName]);
  expect(dialogs).toEqual([]);
});

test("issues and each issue show hostile text as text", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await page.goto(`/issues?${VIEW}`);
  await expectInert(page, [T.message, T.clickMessage]);
  const { issues } = await api<{ issues: { id: string; title: string }[] }>(page, `/api/issues?websiteId=${SITE}&tz=UTC`);
  expect(issues.length).toBeGreaterThanOrEqual(4);
  for (const issue of issues) {
    await page.goto(`/issues/${issue.id}?${VIEW}`);
    await expectInert(page, [issue.title]);
  }
  expect(dialogs).toEqual([]);
});

test("visitors and the visitor show hostile text as text", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await page.goto(`/visitors?${VIEW}`);
  await expectInert(page, [T.visitorName]);
  await page.goto(`/visitors/${encodeURIComponent(T.visitorId)}?${VIEW}`);
  await expectInert(page, [T.visitorName, T.email, T.paramName, T.paramValue, T.city, T.region, T.message, T.clickMessage, T.customName]);
  expect(dialogs).toEqual([]);
});

test("URLs and a URL show hostile text as text", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await page.goto(`/urls?${VIEW}`);
  const { urls } = await api<{ urls: { id: string; template: string }[] }>(page, `/api/urls?websiteId=${SITE}&tz=UTC`);
  expect(urls.length).toBe(2);
  await expectInert(page, urls.map((u) => u.template));
  for (const url of urls) {
    await page.goto(`/urls/${url.id}?${VIEW}`);
    await expectInert(page, [url.template]);
  }
  expect(dialogs).toEqual([]);
});

test("custom events and a property breakdown show hostile text as text", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await page.goto(`/custom-events?${VIEW}`);
  await expectInert(page, [T.customName]);
  await page.goto(`/custom-events?${VIEW}&${new URLSearchParams({ name: T.customName, property: T.propertyKey })}`);
  await expectInert(page, [T.customName, T.propertyKey, T.propertyValue]);
  expect(dialogs).toEqual([]);
});
