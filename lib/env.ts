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
  /** How long a rotated website secret is still accepted. */
  WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  /** Signs sessions and encrypts website secrets; generated and kept in the database when unset. */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** The address users reach the app at (cookies, links, CSRF checks). */
  PUBLIC_URL: z.url().optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
  /**
   * How live updates reach browsers connected to other instances: `none` (one instance),
   * `postgres` (the socket.io PostgreSQL adapter, LISTEN/NOTIFY on DATABASE_URL) or `redis`.
   */
  LIVE_ADAPTER: z.enum(["none", "postgres", "redis"]).default("none"),
  /** The Redis server for LIVE_ADAPTER=redis: `redis://host:6379`. */
  REDIS_URL: z.url().optional(),
  /** Events (and rejected deliveries) older than this many days are removed, hourly. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** Sends email notifications: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
  /** The From of email notifications: `Error Monitor <alerts@example.com>`. */
  SMTP_FROM: z.string().min(3).optional(),
  ADMIN_API_TOKEN: z.string().min(24, "ADMIN_API_TOKEN must be at least 24 characters").optional(),
  /** Tests only: the local PostgreSQL server on which they create scratch databases. */
  TEST_DATABASE_ADMIN_URL: z.url().optional(),
  /** Tests and benchmarks only: the Chromium to drive (default /usr/bin/chromium). */
  CHROMIUM_PATH: z.string().optional(),
  /** Browser tests only: the ports of their server and its embedded database. */
  E2E_PORT: z.coerce.number().int().min(1).max(65535).default(3999),
  E2E_DB_PORT: z.coerce.number().int().min(1).max(65535).default(54399),
  /** `DEBUG=schema-engine` prints what the migration engine does. */
  DEBUG: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

/** The variables this app reads. */
export const ENV_KEYS = Object.keys(schema.shape);

/** The whole environment with `extra` on top, for a child that runs as this process would (a build, the test runners). */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/**
 * The environment a child process of the tests inherits: everything but this app's variables
 * (the child gets those explicitly) and the test runner's own (TEST=true relaxes Better Auth).
 */
export function inheritedEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !ENV_KEYS.includes(name) && name !== "TEST" && !name.startsWith("VITEST")),
  );
}

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

/** The app's public origin: PUBLIC_URL, or the local address it listens on. */
export function publicUrl(): string {
  const { PUBLIC_URL, HOST, PORT } = env();
  if (PUBLIC_URL) return PUBLIC_URL.replace(/\/+$/, "");
  const host = HOST === "0.0.0.0" || HOST === "::" ? "localhost" : HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${PORT}`;
}

export function dataDir(): string {
  return path.resolve(env().DATA_DIR);
}
