import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { env } from "./lib/env";
import { chromiumPath } from "./lib/testing/chromium";

// Browser tests drive Debian's Chromium (or CHROMIUM_PATH, or Playwright's own download)
// against the real production server on the embedded database, started fresh for the run.

const { E2E_PORT: port, E2E_DB_PORT: dbPort } = env();
const dataDir = path.join(tmpdir(), `lsm-e2e-${port}`);
export const OWNER_STATE = "test-results/.auth/owner.json";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  // Conditions may take a while to come true on a busy 2-core machine (a first render after
  // start-up, scrypt at sign-up); they are still checked, only waited for longer.
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // First run: creates the owner through /setup and saves the signed-in browser state.
    { name: "setup", testMatch: /setup\.spec\.ts/ },
    { name: "app", dependencies: ["setup"], testIgnore: /setup\.spec\.ts/, use: { storageState: OWNER_STATE } },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && exec node --import tsx server.ts`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: "",
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      LIVESESSION_WEBHOOK_SECRET: "",
      ADMIN_EMAIL: "",
      ADMIN_PASSWORD: "",
      ADMIN_API_TOKEN: "",
      AUTH_SECRET: "",
      PUBLIC_URL: "",
    },
  },
});
