// npm start: builds the app when the build is missing or stale, then runs the server in this process.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { childEnvironment } from "../lib/env";
import { startServer } from "../server";

const ROOT = path.resolve(import.meta.dirname, "..");
const INPUTS = ["app", "components", "lib", "next.config.js", "package-lock.json", "tsconfig.json", "prisma/schema.prisma"];
const STAMP = path.join(ROOT, ".next", "source-hash");

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(entry, name))
    .filter((name) => statSync(path.join(ROOT, name)).isFile() && !/\.test\.tsx?$/.test(name))
    .sort();
}

/** A hash of everything the build reads, so a changed checkout triggers a rebuild. */
function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap(files)) hash.update(file).update("\0").update(readFileSync(path.join(ROOT, file)));
  return hash.digest("hex");
}

export function ensureBuild(): void {
  const current = sourceHash();
  const built = existsSync(path.join(ROOT, ".next", "BUILD_ID")) && existsSync(STAMP) ? readFileSync(STAMP, "utf8") : null;
  if (built === current) return;
  console.log(built ? "Sources changed since the last build: building…" : "No build found: building…");
  const result = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env: childEnvironment({ NEXT_TELEMETRY_DISABLED: "1" }) });
  if (result.status !== 0) {
    console.error("The build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, current);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuild();
  await startServer({ dev: false });
}
