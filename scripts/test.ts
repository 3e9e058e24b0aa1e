// npm test: every test, with nothing to set up beyond `npm install`.
// Uses DATABASE_URL's server for scratch databases when given (local only), otherwise
// starts an embedded PostgreSQL in a temporary directory; builds the app when stale; then
// runs the unit and integration tests (vitest) and the browser tests (Playwright).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { childEnvironment, env } from "../lib/env";
import { freePort } from "../lib/testing/server";
import { ensureBuild } from "./start";

function run(command: string, args: string[], extraEnv: Record<string, string>): number {
  const result = spawnSync(command, args, { stdio: "inherit", env: childEnvironment(extraEnv) });
  return result.status ?? 1;
}

async function adminDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = env().DATABASE_URL;
  if (given) {
    const url = new URL(given);
    url.pathname = "/postgres";
    return { url: url.toString(), stop: async () => {} };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "lsm-test-db-"));
  const db = await startEmbeddedDatabase(dir, await freePort());
  const url = new URL(db.url);
  url.pathname = "/postgres";
  return {
    url: url.toString(),
    async stop() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

ensureBuild();
const database = await adminDatabase();
const testEnv = { TEST_DATABASE_ADMIN_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
const only = process.argv.slice(2);
let failed = 0;
try {
  if (only.length === 0 || only.includes("unit")) failed += run("npx", ["vitest", "run"], testEnv);
  if (only.length === 0 || only.includes("e2e")) failed += run("npx", ["playwright", "test"], testEnv);
} finally {
  await database.stop();
}
process.exit(failed === 0 ? 0 : 1);
