import { mkdirSync } from "node:fs";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { delivery, type FixtureName } from "../lib/testing/deliveries";

/**
 * Posts an unsigned LiveSession delivery for `website` that happened `minutesAgo` minutes ago
 * (whole seconds), after `change` has set its payload; expects it to be accepted and returns
 * its message_id.
 */
export async function sendAgo(
  request: APIRequestContext,
  fixture: FixtureName,
  website: string,
  minutesAgo: number,
  change: (d: Record<string, any>) => void = () => {},
): Promise<string> {
  const at = Math.floor(Date.now() / 1000) - minutesAgo * 60;
  const { body, messageId } = delivery(fixture, (d) => {
    d.website_id = website;
    d.created_at = at;
    d.payload.time = at * 1000;
    change(d);
  });
  const response = await request.post("/api/webhooks/livesession", { data: body, headers: { "content-type": "application/json" } });
  expect(response.status()).toBe(200);
  return messageId;
}

/** A same-origin GET from the page (with its session), answered as JSON. */
export async function api<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (path) => (await fetch(path)).json(), path) as Promise<T>;
}

/** Full-page screenshots `${dir}/${name}-{1280,390}-{light,dark}.png`, then back to 1280 light. */
export async function shoot(page: Page, dir: string, name: string) {
  mkdirSync(dir, { recursive: true });
  // No hover tooltip in the pictures.
  await page.mouse.move(0, 0);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${dir}/${name}-${width}-${scheme}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
}
