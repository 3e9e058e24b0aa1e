// Two app instances on one database (LIVE_ADAPTER=postgres), started by this test on a scratch
// database: webhooks posted to instance A show up live on a page served by instance B, and when
// B restarts, the page shows it is offline, reconnects and resynchronises the counts exactly.
// Needs TEST_DATABASE_ADMIN_URL (set by `npm test`).
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createScratchDatabase, type ScratchDatabase } from "../lib/testing/database";
import { delivery, postWebhook, type FixtureName } from "../lib/testing/deliveries";
import { freePort, startAppServer, type AppServer } from "../lib/testing/server";
import { setupOwner, signIn } from "../lib/testing/users";

test.use({ storageState: { cookies: [], origins: [] } });

const SITE = `e2e-two-${randomUUID().slice(0, 8)}`;
let database: ScratchDatabase;
let a: AppServer;
let b: AppServer;
let bPort: number;
let settings: Record<string, string>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  database = await createScratchDatabase();
  settings = { DATABASE_URL: database.url, LIVE_ADAPTER: "postgres" };
  bPort = await freePort();
  [a, b] = await Promise.all([startAppServer(settings), startAppServer({ ...settings, PORT: String(bPort) })]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

async function send(fixture: FixtureName) {
  const { body, messageId } = delivery(fixture, (d) => {
    d.website_id = SITE;
    d.created_at = Math.floor(Date.now() / 1000);
    d.payload.time = Date.now();
  });
  expect((await postWebhook(a.url, body)).status).toBe(200);
  return messageId;
}

async function expectApiFigures(page: Page, base: string) {
  const totals = await page.evaluate(async (site) => (await (await fetch(`/api/stats/totals?websiteId=${site}&tz=UTC`)).json()) as { current: Record<string, number> }, SITE);
  for (const key of ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]) {
    await expect(page.locator(`[data-figure="${key}"] .total-value`), `${key} on ${base}`).toHaveText(String(totals.current[key]));
  }
}

test("a webhook to instance A shows live on instance B, and B's restart resynchronises exactly", async ({ page, context }) => {
  test.setTimeout(180_000);
  const bUrl = `http://127.0.0.1:${bPort}`;
  const owner = await setupOwner(bUrl);
  const cookie = await signIn(bUrl, owner.email, owner.password);
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const [name, ...value] = pair.split("=");
      return { name: name!, value: value.join("="), domain: "127.0.0.1", path: "/" };
    }),
  );
  await send("js-error");
  await page.goto(`${bUrl}/?website=${SITE}&range=24h&tz=UTC`);
  const status = page.locator("[data-live-status]");
  await expect(status).toHaveAttribute("data-live-status", "live");

  for (const fixture of ["js-error", "net-error", "error-click", "rage-click", "custom"] as const) {
    const id = await send(fixture);
    await expect(page.locator(`[data-live-feed] tr[data-message-id="${id}"]`)).toBeVisible();
  }
  await expectApiFigures(page, bUrl);
  await expect(page.locator('[data-figure="JSError"] .total-value')).toHaveText("2");

  // B goes away; A keeps storing; B comes back on the same address.
  await b.stop();
  await expect(status).not.toHaveAttribute("data-live-status", "live");
  const missed = [await send("js-error"), await send("net-error"), await send("custom")];
  b = await startAppServer({ ...settings, PORT: String(bPort) });
  await expect(status).toHaveAttribute("data-live-status", "live", { timeout: 60_000 });
  // The re-read is the restarted server's first page render: give it time.
  for (const id of missed) await expect(page.locator(`[data-live-feed] tr[data-message-id="${id}"]`)).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-figure="JSError"] .total-value')).toHaveText("3");
  await expect(page.locator('[data-figure="NetError"] .total-value')).toHaveText("2");
  await expect(page.locator('[data-figure="Custom"] .total-value')).toHaveText("2");
  await expectApiFigures(page, bUrl);
  // Live again, each event once.
  const after = await send("rage-click");
  await expect(page.locator(`[data-live-feed] tr[data-message-id="${after}"]`)).toBeVisible();
  await expect(page.locator('[data-figure="RageClick"] .total-value')).toHaveText("2");
  await expect(page.locator("[data-live-feed] tbody tr")).toHaveCount(10);
});
