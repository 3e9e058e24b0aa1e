// Integration: the SQLSTATE is found both in Prisma's wrapped raw-query errors and in pg's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "./client";
import { setDatabaseUrl } from "../env";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { sqlState } from "./sql-state";

let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase();
  setDatabaseUrl(database.url);
});

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the query succeeded"), (error: unknown) => error);

describe("sqlState", () => {
  it("reads PostgreSQL's code through Prisma's P2010 error", async () => {
    const error = await failure(db().$executeRawUnsafe("SELECT 1 / 0"));
    expect((error as { code?: string }).code).toBe("P2010");
    expect(sqlState(error)).toBe("22012");
  });

  it("reads node-postgres errors", async () => {
    expect(sqlState(await failure(database.query("SELECT 1 / 0")))).toBe("22012");
  });

  it("is null for anything else", () => {
    expect(sqlState(new Error("no"))).toBeNull();
    expect(sqlState(null)).toBeNull();
  });
});
