// Integration test: runs the real migrations against a scratch database on the local PostgreSQL.
import { createHash, randomBytes } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl } from "../testing/database";
import { applyMigrations, migrationStatus, migrationsDir } from "./migrate";

const scratchName = `mig_scratch_${randomBytes(6).toString("hex")}`;
const scratchUrl = (() => {
  const url = new URL(adminUrl());
  url.pathname = `/${scratchName}`;
  return url.toString();
})();

type MigrationFile = { name: string; sql: string };
let migrations: MigrationFile[] = [];

async function readMigrations(): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir(), { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  names.sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await readFile(path.join(migrationsDir(), name, "migration.sql"), "utf8"),
    })),
  );
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Connections to the scratch database other than the asking one; backends exit asynchronously, so wait a little. */
async function openConnections(): Promise<number> {
  return withClient(adminUrl(), async (client) => {
    let count = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = $1",
        [scratchName],
      );
      count = rows[0]!.n;
      if (count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return count;
  });
}

beforeAll(async () => {
  migrations = await readMigrations();
  await withClient(adminUrl(), (client) => client.query(`CREATE DATABASE "${scratchName}"`));
});

afterAll(async () => {
  await withClient(adminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`));
});

describe("migrations", () => {
  it("has at least the initial migration in the folder", () => {
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations[0]!.name).toMatch(/^\d{14}_init$/);
  });

  it("reports every migration as pending on an empty database", async () => {
    const status = await migrationStatus(scratchUrl);
    expect(status.pending).toEqual(migrations.map((m) => m.name));
    expect(status.applied).toEqual([]);
  });

  it("applies every migration and leaves no connection open", async () => {
    const { applied } = await applyMigrations(scratchUrl);
    expect(applied).toEqual(migrations.map((m) => m.name));
    expect(await openConnections()).toBe(0);
  });

  it("creates every table the migrations declare", async () => {
    const declared = new Set(
      migrations.flatMap((m) => [...m.sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((match) => match[1]!)),
    );
    expect(declared).toContain("events");
    const { rows } = await withClient(scratchUrl, (client) =>
      client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public'",
      ),
    );
    const existing = rows.map((row) => row.table_name);
    for (const table of declared) expect(existing).toContain(table);
  });

  it("records each migration in _prisma_migrations with Prisma's checksum (sha256 of migration.sql)", async () => {
    type Row = {
      migration_name: string;
      checksum: string;
      finished: boolean;
      rolled_back: boolean;
      applied_steps_count: number;
    };
    const { rows } = await withClient(scratchUrl, (client) =>
      client.query<Row>(
        `select migration_name, checksum, finished_at is not null as finished,
                rolled_back_at is not null as rolled_back, applied_steps_count
           from _prisma_migrations order by migration_name`,
      ),
    );
    expect(rows).toEqual(
      migrations.map((m) => ({
        migration_name: m.name,
        checksum: createHash("sha256").update(m.sql).digest("hex"),
        finished: true,
        rolled_back: false,
        applied_steps_count: 1,
      })),
    );
  });

  it("applies nothing the second time", async () => {
    expect(await applyMigrations(scratchUrl)).toEqual({ applied: [], interrupted: [] });
    const { rows } = await withClient(scratchUrl, (client) =>
      client.query<{ n: number }>("select count(*)::int as n from _prisma_migrations"),
    );
    expect(rows[0]!.n).toBe(migrations.length);
  });

  it("reports nothing pending, failed or edited afterwards", async () => {
    const status = await migrationStatus(scratchUrl);
    expect(status).toEqual({
      migrations: migrations.map((m) => m.name),
      applied: migrations.map((m) => m.name),
      pending: [],
      failed: [],
      edited: [],
      notInFolder: [],
    });
    expect(await openConnections()).toBe(0);
  });

  it("applies again a migration a killed process left started but unfinished", async () => {
    // What a process killed during its first start leaves: the engine recorded the first
    // migration as started, and its script's transaction rolled back (no tables).
    const name = `mig_killed_${randomBytes(6).toString("hex")}`;
    const url = new URL(scratchUrl);
    url.pathname = `/${name}`;
    await withClient(adminUrl(), (client) => client.query(`CREATE DATABASE "${name}"`));
    try {
      await withClient(url.toString(), async (client) => {
        await client.query(`CREATE TABLE _prisma_migrations (
          id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
          migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
          started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
        await client.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ($1, $2, $3)", [
          "00000000-0000-0000-0000-000000000001",
          createHash("sha256").update(migrations[0]!.sql).digest("hex"),
          migrations[0]!.name,
        ]);
      });
      const result = await applyMigrations(url.toString());
      expect(result.interrupted).toEqual([migrations[0]!.name]);
      expect(result.applied).toEqual(migrations.map((m) => m.name));
      const status = await migrationStatus(url.toString());
      expect(status.failed).toEqual([]);
      expect(status.pending).toEqual([]);
      // A migration that failed with an error (it has logs) is left for a person.
      await withClient(url.toString(), (client) =>
        client.query("UPDATE _prisma_migrations SET finished_at = NULL, logs = 'syntax error' WHERE migration_name = $1 AND rolled_back_at IS NULL", [migrations.at(-1)!.name]),
      );
      await expect(applyMigrations(url.toString())).rejects.toThrow(/failed/);
    } finally {
      await withClient(adminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  });

  it("says which server it cannot reach, without the password", async () => {
    const error = await applyMigrations("postgresql://someone:s3cret@127.0.0.1:1/nowhere").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("s3cret");
  });
});
