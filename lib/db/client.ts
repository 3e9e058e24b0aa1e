import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { env } from "../env";
import { PrismaClient } from "../generated/prisma/client";
import { logger } from "../log";

const clientKey = Symbol.for("lsm.prisma");
type ClientCache = { [clientKey]?: PrismaClient };

function createClient(): PrismaClient {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app through server.ts, which provides one.");
  const config: pg.PoolConfig = {
    connectionString: url,
    max: env().DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  };
  // A connection whose server went away emits 'error'; unhandled, it would crash the
  // process. The pool replaces the connection on the next checkout.
  const onError = (error: Error) => logger().warn({ err: error.message }, "database connection lost");
  return new PrismaClient({ adapter: new PrismaPg(config, { onPoolError: onError, onConnectionError: onError }) });
}

/** The process-wide Prisma client (route bundles each get a module copy, so it lives on globalThis). */
export function db(): PrismaClient {
  const cache = globalThis as ClientCache;
  cache[clientKey] ??= createClient();
  return cache[clientKey];
}

export async function disconnectDb(): Promise<void> {
  const cache = globalThis as ClientCache;
  const client = cache[clientKey];
  delete cache[clientKey];
  await client?.$disconnect();
}
