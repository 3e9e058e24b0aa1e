import { mkdirSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { OWNER_STATE } from "../playwright.config";
import { delivery, type FixtureName } from "../lib/testing/deliveries";
import { signBody } from "../lib/livesession/signature";
import { api } from "./helpers";

// The visitors list and a visitor's page, on data posted as signed LiveSession webhooks.

const SITE = "e2e-visitors";
const VIEW = `website=${SITE}&range=24h&tz=UTC`;
const SHOTS = "/tmp/shots/visitors";
const XSS_NAME = `<img src=x onerror="window.__xss=1">Mallory`;
const XSS_PARAM = `<script>window.__xss=2</script>`;
const XSS_MESSAGE = `<img src=x onerror="window.__xss=3">`;

type Who = { id: string; name: string | null; email: string | null; params: { name: string; value: unknown }[]; geolocation: Record<string, string | null> };
const FRANK: Who = {
  id: "e2e-frank",
  name: "Frank Frustrated",
  email: "frank@example.test",
  params: [
    { name: "plan", value: "pro" },
    { name: "company", value: "Acme" },
  ],
  geolocation: { country_code: "PL", city: "Warsaw", region: "Mazovia" },
};
const ERIN: Who = { id: "e2e-erin", name: "Erin Errors", email: "erin@example.test", params: [], geolocation: { country_code: "DE", city: "Berlin", region: null } };
// An id with characters that must be encoded in the page's path.
const MALLORY: Who = { id: "e2e-mallory/100%", name: XSS_NAME, email: null, params: [{ name: "note", value: XSS_PARAM }], geolocation: { country_code: "FR", city: null, region: null } };
const BUSY: Who = { id: "e2e-busy", name: "Busy Bea", email: null, params: [], geolocation: { country_code: "PL", city: null, region: null } };
const QUINN: Who = { id: "e2e-quinn", name: "Quiet Quinn", email: null, params: [], geolocation: { country_code: "GB", city: null, region: null } };

const visitorPath = (who: Who) => `/visitors/${encodeURIComponent(who.id)}`;

async function seed(request: APIRequestContext, baseURL: string) {
  // A website with its own secret: every delivery below must carry a valid signature.
  const created = await request.post("/api/websites", { data: { id: SITE, name: "Visitors shop" }, headers: { origin: baseURL } });
  expect(created.status()).toBe(201);
  const rotated = await request.post(`/api/websites/${SITE}/secret`, { headers: { origin: baseURL } });
  expect(rotated.status()).toBe(200);
  const { secret } = (await rotated.json()) as { secret: string };

  const now = Math.floor(Date.now() / 1000);
  const sends: [FixtureName, number, Who, Record<string, unknown>][] = [
    ["js-error", 60, FRANK, { value: "TypeError: cart is null" }],
    ["js-error", 50, FRANK, { value: "TypeError: cart is null" }],
    ["rage-click", 40, FRANK, { clicks: 4 }],
    ["rage-click", 30, FRANK, { clicks: 5 }],
    ["rage-click", 20, FRANK, { clicks: 6 }],
    ["custom", 10, FRANK, { name: "Checkout", properties: { total_float: 12.5, coupon_str: 5 } }],
    ...[100, 99, 98, 97, 96].map((m, i): [FixtureName, number, Who, Record<string, unknown>] => [
      "net-error",
      m,
      ERIN,
      { method: "POST", url: `https://shop.example/api/cart/${i}`, status: 500 },
    ]),
    ["error-click", 5, MALLORY, { messsage: XSS_MESSAGE }],
    ["custom", 15, QUINN, { name: "Browse", properties: {} }],
    // 55 events: more than one page of the timeline (50).
    ...Array.from({ length: 55 }, (_, i): [FixtureName, number, Who, Record<string, unknown>] => ["custom", 200 + i, BUSY, { name: `Step ${i}`, properties: {} }]),
  ];
  for (const [fixture, minutesAgo, who, fields] of sends) {
    const at = now - minutesAgo * 60;
    const { body } = delivery(fixture, (d) => {
      d.website_id = SITE;
      d.created_at = at;
      Object.assign(d.payload, fields, { time: at * 1000, visitor: who });
    });
    if (who !== BUSY) {
      const unsigned = await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } });
      expect(unsigned.status()).toBe(401);
    }
    const response = await request.post("/api/webhooks/livesession", {
      data: body,
      headers: { "content-type": "application/json", "livesession-signature": signBody(body, secret) },
    });
    expect(response.status()).toBe(200);
  }
}

type ApiVisitor = { id: string; name: string | null; errors: number; rageClicks: number; frustration: number };
const rows = (page: Page) => page.locator("section[aria-label='Visitors'] tr[data-visitor-id]");
const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-visitor-id")));

test.describe.serial("visitors", () => {
  test.beforeAll(async ({ browser, baseURL }) => {
    const context = await browser.newContext({ storageState: OWNER_STATE });
    await seed(context.request, baseURL!);
    await context.close();
  });

  test("the list shows the API's figures, ranked by frustration", async ({ page }) => {
    await page.goto(`/visitors?${VIEW}`);
    await expect(page.getByRole("heading", { name: "Visitors", level: 1 })).toBeVisible();
    const list = await api<{ visitors: ApiVisitor[] }>(page, `/api/visitors?websiteId=${SITE}&tz=UTC`);
    expect(list.visitors.map((v) => [v.id, v.errors, v.rageClicks, v.frustration])).toEqual([
      [FRANK.id, 2, 3, 11],
      [ERIN.id, 5, 0, 5],
      [MALLORY.id, 1, 0, 1],
    ]);
    expect(await rowIds(page)).toEqual(list.visitors.map((v) => v.id));
    for (const v of list.visitors) {
      const row = page.locator(`tr[data-visitor-id="${v.id}"]`);
      await expect(row.locator("[data-figure='errors']")).toHaveText(String(v.errors));
      await expect(row.locator("[data-figure='rageClicks']")).toHaveText(String(v.rageClicks));
      await expect(row.locator("[data-figure='frustration']")).toHaveText(String(v.frustration));
    }
    await expect(page.locator(`tr[data-visitor-id="${FRANK.id}"]`)).toContainText("frank@example.test");
    await expect(page.locator(`tr[data-visitor-id="${FRANK.id}"]`)).toContainText("Poland");
    await expect(page.locator(`tr[data-visitor-id="${QUINN.id}"]`)).toHaveCount(0);
    await expect(page.locator("abbr", { hasText: "Frustration" })).toHaveAttribute("title", /errors × 1 \+ rage clicks × 3/);
    // The export links download the same list.
    const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    expect(csvHref).toContain(`/api/visitors?websiteId=${SITE}`);
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref!);
    expect(csv.trim().split("\n")).toHaveLength(4);
  });

  test("search, sort and paging live in the URL and survive a reload", async ({ page }) => {
    await page.goto(`/visitors?${VIEW}`);
    await page.getByRole("searchbox", { name: "Search visitors" }).fill("ERIN");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=ERIN/);
    await expect(page).toHaveURL(/website=e2e-visitors/);
    expect(await rowIds(page)).toEqual([ERIN.id]);
    await page.reload();
    expect(await rowIds(page)).toEqual([ERIN.id]);
    await expect(page.getByRole("searchbox", { name: "Search visitors" })).toHaveValue("ERIN");
    await page.getByRole("link", { name: "Clear", exact: true }).click();
    await expect(rows(page)).toHaveCount(3);

    await page.getByRole("navigation", { name: "Sort by" }).getByRole("link", { name: "Errors" }).click();
    await expect(page).toHaveURL(/sort=errors/);
    await expect.poll(() => rowIds(page)).toEqual([ERIN.id, FRANK.id, MALLORY.id]);
    await page.reload();
    expect(await rowIds(page)).toEqual([ERIN.id, FRANK.id, MALLORY.id]);
    await expect(page.getByRole("navigation", { name: "Sort by" }).getByRole("link", { name: "Errors" })).toHaveAttribute("aria-current", "true");
    await page.getByRole("navigation", { name: "Sort by" }).getByRole("link", { name: "Last seen" }).click();
    await expect.poll(() => rowIds(page)).toEqual([MALLORY.id, FRANK.id, ERIN.id]);

    await page.goto(`/visitors?${VIEW}&limit=2`);
    expect(await rowIds(page)).toEqual([FRANK.id, ERIN.id]);
    await page.getByRole("link", { name: "Next page →" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect.poll(() => rowIds(page)).toEqual([MALLORY.id]);
    await page.reload();
    expect(await rowIds(page)).toEqual([MALLORY.id]);
    await expect(page.getByRole("link", { name: "Next page →" })).toHaveCount(0);
    await page.getByRole("link", { name: "← First page" }).click();
    await expect.poll(() => rowIds(page)).toEqual([FRANK.id, ERIN.id]);
  });

  test("a visitor's page: profile, params, totals, issues, timeline and the LiveSession link", async ({ page }) => {
    await page.goto(`/visitors?${VIEW}`);
    await page.getByRole("link", { name: FRANK.name! }).click();
    await expect(page).toHaveURL(new RegExp(`/visitors/${FRANK.id}\\?.*website=${SITE}`));
    await expect(page.getByRole("heading", { name: FRANK.name!, level: 1 })).toBeVisible();
    const profile = page.locator("section[aria-label='Profile']");
    await expect(profile.locator("[data-field='email']")).toHaveText(FRANK.email!);
    await expect(profile.locator("[data-field='id']")).toHaveText(FRANK.id);
    await expect(profile.locator("[data-field='location']")).toHaveText("Warsaw, Mazovia, Poland (PL)");
    const params = page.locator("section[aria-label='Params'] tbody tr");
    await expect(params).toHaveCount(2);
    await expect(params.nth(0)).toHaveText("planpro");
    await expect(params.nth(1)).toHaveText("companyAcme");

    const data = await api<{ totals: { range: Record<string, number>; allTime: Record<string, number> }; frustration: number; sessionsUrl: string }>(
      page,
      `/api/visitors/${FRANK.id}?websiteId=${SITE}`,
    );
    expect(data.totals.range).toEqual({ JSError: 2, RageClick: 3, Custom: 1 });
    for (const kind of ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]) {
      await expect(page.locator(`[data-figure='${kind}'] .total-value`)).toHaveText(String(data.totals.range[kind] ?? 0));
      await expect(page.locator(`[data-figure='${kind}'] .all-time`)).toHaveText(String(data.totals.allTime[kind] ?? 0));
    }
    await expect(page.locator("[data-figure='frustration'] .total-value")).toHaveText(String(data.frustration));

    const link = page.getByRole("link", { name: /Sessions in LiveSession/ });
    await expect(link).toHaveAttribute("href", "https://app.livesession.io/app/e2e-visitors/sessions?email=frank%40example.test");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    await expect(link).toHaveAttribute("target", "_blank");

    const issues = page.locator("section[aria-label='Issues they hit'] tbody tr");
    await expect(issues).toHaveCount(3);
    const typeError = issues.filter({ hasText: "TypeError: cart is null" });
    await expect(typeError.locator("[data-figure='events']")).toHaveText("2");
    await expect(typeError.getByRole("link")).toHaveAttribute("href", /^\/issues\/-?\d+\?.*website=e2e-visitors/);
    await expect(issues.filter({ hasText: "Rage clicks" }).locator("[data-figure='events']")).toHaveText("3");

    const timeline = page.locator("section[aria-label='Timeline'] li.timeline-item");
    await expect(timeline).toHaveCount(6);
    expect(await timeline.evaluateAll((items) => items.map((li) => li.getAttribute("data-kind")))).toEqual([
      "Custom",
      "RageClick",
      "RageClick",
      "RageClick",
      "JSError",
      "JSError",
    ]);
    await expect(timeline.nth(0)).toContainText("Checkout");
    await expect(timeline.nth(0).locator("table[aria-label='Properties']")).toContainText("total_float12.5");
    await expect(timeline.nth(0)).toContainText("coupon_str5 — expected str, got int");
    await expect(timeline.nth(1)).toContainText("6 clicks in a row");
    await expect(timeline.nth(4)).toContainText("TypeError: cart is null");

    // The kind toggles narrow the timeline and the issues; the URL keeps it.
    await page.locator(".kind-toggle[data-kind='RageClick']").click();
    await expect(page).toHaveURL(/kind=RageClick/);
    await expect(timeline).toHaveCount(3);
    await expect(issues).toHaveCount(1);
    await page.reload();
    await expect(timeline).toHaveCount(3);
    await expect(page.locator(".kind-toggle[data-kind='RageClick']")).toHaveAttribute("aria-pressed", "true");

    await page.getByRole("link", { name: "All time" }).click();
    await expect(page).toHaveURL(/history=all/);
    await expect(timeline).toHaveCount(3);
    await page.getByRole("link", { name: "← Visitors" }).click();
    await expect(page).toHaveURL(/\/visitors\?.*website=e2e-visitors/);
  });

  test("the timeline pages through older events, and the page is in the URL", async ({ page }) => {
    await page.goto(`${visitorPath(BUSY)}?${VIEW}`);
    const timeline = page.locator("section[aria-label='Timeline'] li.timeline-item");
    await expect(timeline).toHaveCount(50);
    await expect(timeline.first()).toContainText("Step 0");
    await expect(timeline.last()).toContainText("Step 49");
    await page.getByRole("link", { name: "Older events →" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(timeline).toHaveCount(5);
    await expect(timeline.first()).toContainText("Step 50");
    await page.reload();
    await expect(timeline).toHaveCount(5);
    await expect(timeline.last()).toContainText("Step 54");
    await expect(page.getByRole("link", { name: "Older events →" })).toHaveCount(0);
    await page.getByRole("link", { name: "← Newest" }).click();
    await expect(timeline).toHaveCount(50);
  });

  test("names, params and messages from a visitor's browser are shown as text, never run", async ({ page }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`/visitors?${VIEW}`);
    const row = page.locator(`tr[data-visitor-id="${MALLORY.id}"]`);
    await expect(row.locator(".visitor-name")).toHaveText(XSS_NAME);
    await expect(row.locator("img, script")).toHaveCount(0);
    await row.getByRole("link", { name: XSS_NAME }).click();
    await expect(page).toHaveURL(/\/visitors\/e2e-mallory%2F100%25\?/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(XSS_NAME);
    await expect(page.locator("section[aria-label='Params'] tbody td").nth(1)).toHaveText(XSS_PARAM);
    await expect(page.locator("section[aria-label='Timeline'] .timeline-message")).toHaveText(XSS_MESSAGE);
    await expect(page.locator("main img, main script")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // No email: the link opens the website's sessions in LiveSession.
    await expect(page.getByRole("link", { name: /Sessions in LiveSession/ })).toHaveAttribute("href", "https://app.livesession.io/app/e2e-visitors/sessions");
  });

  test("an unknown visitor, or one of an unknown website, is a 404 page (and a 404 from the API)", async ({ page }) => {
    const known = await page.goto(`${visitorPath(FRANK)}?${VIEW}`);
    expect(known?.status()).toBe(200);
    await expect(page.locator("main h1")).toHaveText(FRANK.name!);
    for (const path of [
      `/visitors/nobody-here?${VIEW}`,
      `/visitors/${"x".repeat(300)}?${VIEW}`,
      `${visitorPath(FRANK)}?website=no-such-website&range=24h&tz=UTC`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Visitor not found" })).toBeVisible();
      await expect(page.locator(`meta[name="robots"][content="noindex"]`).first()).toBeAttached();
    }
    await page.getByRole("link", { name: "All visitors" }).click();
    await expect(page.getByRole("heading", { name: "Visitors", level: 1 })).toBeVisible();
    const status = await page.evaluate(async (site) => (await fetch(`/api/visitors/nobody-here?websiteId=${site}`)).status, SITE);
    expect(status).toBe(404);
  });

  test("screenshots at laptop and phone widths, light and dark", async ({ page }) => {
    test.setTimeout(180_000);
    mkdirSync(SHOTS, { recursive: true });
    const pages = [
      ["list", `/visitors?${VIEW}`],
      ["visitor", `${visitorPath(FRANK)}?${VIEW}`],
      ["visitor-xss", `${visitorPath(MALLORY)}?${VIEW}`],
      ["list-empty", `/visitors?${VIEW}&q=nobody`],
      ["visitor-empty", `${visitorPath(QUINN)}?${VIEW}&kind=JSError`],
      ["not-found", `/visitors/nobody-here?${VIEW}`],
    ] as const;
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, path] of pages) {
          await page.goto(path);
          await expect(page.locator("main h1")).toBeVisible();
          await expect(page.locator("main [aria-busy='true']")).toHaveCount(0);
          await page.screenshot({ path: `${SHOTS}/${name}-${width}-${scheme}.png`, fullPage: true });
        }
      }
    }
  });
});
