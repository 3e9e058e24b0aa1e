import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "@playwright/test";
import { env } from "../env";
import { setupOwner, signIn } from "./users";

/**
 * The Chromium the browser tests and bench:live drive: CHROMIUM_PATH, Debian's, or Playwright's
 * own download (undefined lets Playwright use it).
 */
export function chromiumPath(): string | undefined {
  const candidates = [env().CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (found) return found;
  if (existsSync(chromium.executablePath())) return undefined;
  throw new Error(
    "No Chromium found for the browser tests. Install one with `apt-get install -y chromium` " +
      "(or `npx playwright install chromium` where downloads work), or set CHROMIUM_PATH.",
  );
}

/**
 * Headless Chromium showing the live overview of `website` (which must exist) on the server at
 * `baseUrl`, signed in as its owner, created by first-run setup; resolves once the page is live.
 */
export async function openLiveOverview(baseUrl: string, website: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const owner = await setupOwner(baseUrl);
    const cookie = await signIn(baseUrl, owner.email, owner.password);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const domain = new URL(baseUrl).hostname;
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const [name, ...value] = pair.split("=");
        return { name: name!, value: value.join("="), domain, path: "/" };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${baseUrl}/?website=${encodeURIComponent(website)}&range=1h&tz=UTC`);
    await page.locator('[data-live-status="live"]').waitFor({ timeout: 30_000 });
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
