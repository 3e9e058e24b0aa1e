import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../db/migrate";
import { env } from "../env";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]", ""]);

/** The server tests create their scratch databases on (set by scripts/test.ts). */
export function adminUrl(): string {
  const url = env().TEST_DATABASE_ADMIN_URL;
  if (!url) throw new Error("TEST_DATABASE_ADMIN_URL is not set: run the tests with `npm test`.");
  // Tests create and drop databases: refuse anything but a local server.
  if (!LOCAL_HOSTS.has(new URL(url).hostname)) throw new Error(`Refusing to run tests against a non-local database (${new URL(url).host}).`);
  return url;
}

export type ScratchDatabase = { url: string; query: pg.Pool["query"]; pool: pg.Pool; drop(): Promise<void> };

/** A new, migrated database with a random name; drop() removes it. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `lsm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    pool,
    query: pool.query.bind(pool) as pg.Pool["query"],
    async drop() {
      // A connection still closing when DROP ... WITH (FORCE) terminates it reports that (57P01): expected here.
      pool.on("error", (error: Error & { code?: string }) => {
        if (error.code !== "57P01") throw error;
      });
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
