/**
 * Offline stand-in for `prisma migrate` (see lib/db/migrate.ts):
 *
 *   tsx prisma/migrate.ts deploy       apply pending migrations       (prisma migrate deploy)
 *   tsx prisma/migrate.ts status       list applied/pending/failed    (prisma migrate status)
 *   tsx prisma/migrate.ts new NAME     write a migration for the schema changes
 *                                      (prisma migrate dev --create-only --name NAME)
 *
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is not set.
 */
import path from "node:path";
import { withDatabase } from "../lib/db/embedded";
import { applyMigrations, createMigration, migrationStatus, projectRoot } from "../lib/db/migrate";

const USAGE = "Usage: tsx prisma/migrate.ts deploy | status | new NAME";

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === "deploy" && rest.length === 0) return withDatabase(deploy);
  if (command === "status" && rest.length === 0) return withDatabase(status);
  if (command === "new" && rest.length === 1) return withDatabase((url) => create(url, rest[0]!));
  throw new Error(USAGE);
}

async function deploy(databaseUrl: string): Promise<void> {
  const started = performance.now();
  const { applied } = await applyMigrations(databaseUrl);
  for (const name of applied) console.log(`Applied ${name}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    applied.length === 0
      ? `No pending migrations on ${where(databaseUrl)}`
      : `${applied.length} migration(s) applied to ${where(databaseUrl)} in ${seconds} s`,
  );
}

async function status(databaseUrl: string): Promise<void> {
  const report = await migrationStatus(databaseUrl);
  const state = (name: string) =>
    report.failed.includes(name)
      ? "FAILED "
      : report.pending.includes(name)
        ? "pending"
        : report.edited.includes(name)
          ? "edited "
          : "applied";
  for (const name of report.migrations) console.log(`${state(name)}  ${name}`);
  for (const name of report.notInFolder) console.log(`missing  ${name} (applied to the database, not in the folder)`);

  const problems = [
    report.pending.length && `${report.pending.length} pending`,
    report.failed.length && `${report.failed.length} failed`,
    report.edited.length && `${report.edited.length} edited after being applied`,
    report.notInFolder.length && `${report.notInFolder.length} missing from the folder`,
  ].filter(Boolean);
  console.log(
    `${where(databaseUrl)}: ${report.migrations.length} migration(s) in the folder, ` +
      (problems.length ? problems.join(", ") : "database up to date"),
  );
}

async function create(databaseUrl: string, name: string): Promise<void> {
  const result = await createMigration(databaseUrl, name);
  console.log(
    result.created
      ? `Created ${path.relative(projectRoot(), result.file)}`
      : "No changes: prisma/schema.prisma matches the migrations folder; nothing written",
  );
}

/** host:port/database, never the password. */
function where(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.host}${url.pathname}`;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: the embedded database's handles and the engine's timers must not linger.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
