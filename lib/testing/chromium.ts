import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { env } from "../env";

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
