import { afterAll, beforeAll } from "vitest";
import { disconnectDb } from "../db/client";
import { createScratchDatabase, type ScratchDatabase } from "./database";
import { startAppServer, type AppServer } from "./server";

/** The admin API token the test server accepts. */
export const TEST_TOKEN = "test-admin-token-0123456789abcdef";

export type ApiTestServer = {
  /** The server's base URL ("http://127.0.0.1:PORT"). */
  readonly url: string;
  /** The scratch database's URL, for tests that call query functions directly. */
  readonly databaseUrl: string;
  /** A GET as a client of the API (the admin token unless other headers are given): the status and the JSON body. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
};

/**
 * For an integration test file: registers the hooks that make a scratch database and start the
 * production server on it (admin token TEST_TOKEN) before the file's tests, and that disconnect
 * this process's Prisma client, stop the server and drop the database after them. Call it at the
 * top of the file, before the file's own `beforeAll` that seeds data (hooks run in that order).
 */
export function apiTestServer(): ApiTestServer {
  let database: ScratchDatabase | undefined;
  let server: AppServer | undefined;
  beforeAll(async () => {
    database = await createScratchDatabase();
    server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TEST_TOKEN });
  });
  afterAll(async () => {
    await disconnectDb();
    await server?.stop();
    await database?.drop();
  });
  const started = () => {
    if (!server || !database) throw new Error("The test server is not started: use it inside tests or a later beforeAll");
    return { server, database };
  };
  return {
    get url() {
      return started().server.url;
    },
    get databaseUrl() {
      return started().database.url;
    },
    async get(path, headers = { authorization: `Bearer ${TEST_TOKEN}` }) {
      const response = await fetch(`${started().server.url}${path}`, { headers });
      return { status: response.status, json: await response.json() };
    },
  };
}
