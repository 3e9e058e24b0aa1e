import path from "node:path";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  EMBEDDED_DB_PORT: port.default(54320),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  LIVESESSION_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Tests only: the local PostgreSQL server on which they create scratch databases. */
  TEST_DATABASE_ADMIN_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

const cacheKey = Symbol.for("lsm.env");
type EnvCache = { [cacheKey]?: Env };

/**
 * The validated environment, read once per process. Route bundles get their own copy of
 * this module, so the parsed value is cached on globalThis.
 */
export function env(): Env {
  const cache = globalThis as EnvCache;
  if (!cache[cacheKey]) {
    // An empty variable counts as unset, as in most tools (`FOO= cmd`).
    const given = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
    const parsed = schema.safeParse(given);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cache[cacheKey] = parsed.data;
  }
  return cache[cacheKey];
}

/** Sets DATABASE_URL for the rest of the process (the embedded database chooses it at start-up). */
export function setDatabaseUrl(url: string): void {
  process.env.DATABASE_URL = url;
  delete (globalThis as EnvCache)[cacheKey];
}

export function dataDir(): string {
  return path.resolve(env().DATA_DIR);
}
