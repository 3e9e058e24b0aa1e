/**
 * Prisma Migrate without the native schema engine.
 *
 * Prisma's CLI downloads a native schema engine that cannot be fetched on our machines, so
 * this module drives Prisma's own WebAssembly schema engine (`@prisma/schema-engine-wasm`)
 * through a migration-aware `@prisma/adapter-pg` adapter. It reads and writes the standard
 * `prisma/migrations/<timestamp>_<name>/migration.sql` layout and the same `_prisma_migrations`
 * table (same checksums, same advisory lock), so the ordinary `prisma migrate` commands keep
 * working on the same folder wherever the native engine is available.
 *
 *   applyMigrations(url)        = prisma migrate deploy
 *   migrationStatus(url)        = prisma migrate status
 *   createMigration(url, name)  = prisma migrate dev --create-only (without touching the database)
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { ErrorRegistry } from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { env } from "../env";

export type MigrationStatus = {
  /** Migration directories found in prisma/migrations, oldest first. */
  migrations: string[];
  /** Applied successfully to the database. */
  applied: string[];
  /** In the folder, not yet applied. */
  pending: string[];
  /** Started and failed: fix by hand, then mark them rolled back or applied. */
  failed: string[];
  /** Applied, but their migration.sql has changed since (checksum mismatch). */
  edited: string[];
  /** Recorded as applied in the database but missing from the folder. */
  notInFolder: string[];
};

export type CreatedMigration =
  | { created: true; name: string; file: string }
  | { created: false; reason: "no changes" };

/** The advisory lock Prisma's schema engine holds while it migrates a database. */
const PRISMA_MIGRATE_LOCK = 72707369;

/**
 * Migrations a killed process left started but neither finished nor failed (no logs): the
 * engine sends each migration's script as one implicit transaction, so nothing of it stayed in
 * the database. They are marked rolled back, and `migrate deploy` applies them again, as
 * `prisma migrate resolve --rolled-back` would by hand. Only while no other process migrates
 * (one that is migrating holds Prisma's lock and has such a row too). A migration that failed
 * with an error has logs and is left for a person to look at.
 */
async function recoverInterrupted(target: Target): Promise<string[]> {
  const client = new pg.Client(target.config);
  await client.connect();
  try {
    const { rows: lock } = await client.query<{ free: boolean }>("SELECT pg_try_advisory_lock($1) AS free", [PRISMA_MIGRATE_LOCK]);
    if (!lock[0]!.free) return [];
    try {
      const { rows } = await client.query<{ migration_name: string }>(
        `UPDATE _prisma_migrations SET rolled_back_at = now()
         WHERE finished_at IS NULL AND rolled_back_at IS NULL AND logs IS NULL
         RETURNING migration_name`,
      ).catch((error: { code?: string }) => {
        // No _prisma_migrations table yet: a database never migrated.
        if (error.code === "42P01") return { rows: [] };
        throw error;
      });
      return rows.map((r) => r.migration_name);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/**
 * `prisma migrate deploy`: applies the pending migrations, oldest first, after recovering the
 * ones a killed process left half-recorded (`interrupted`).
 */
export async function applyMigrations(databaseUrl: string): Promise<{ applied: string[]; interrupted: string[] }> {
  const target = parseDatabaseUrl(databaseUrl);
  const interrupted = await recoverInterrupted(target);
  const migrationsList = await readMigrationsFolder();
  const output = await withSchemaEngine(target, undefined, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
  );
  return { applied: output.appliedMigrationNames, interrupted };
}

/** `prisma migrate status`: compares the migrations folder with `_prisma_migrations`. */
export async function migrationStatus(databaseUrl: string): Promise<MigrationStatus> {
  const target = parseDatabaseUrl(databaseUrl);
  const migrationsList = await readMigrationsFolder();
  const diagnosis = await withSchemaEngine(target, undefined, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
  );

  const history = diagnosis.history;
  const pending = history && history.diagnostic !== "migrationsDirectoryIsBehind" ? history.unappliedMigrationNames : [];
  const notInFolder = history && history.diagnostic !== "databaseIsBehind" ? history.unpersistedMigrationNames : [];
  const failed = diagnosis.failedMigrationNames;
  const migrations = migrationsList.migrationDirectories.map((dir) => dir.path);
  return {
    migrations,
    applied: migrations.filter((name) => !pending.includes(name) && !failed.includes(name)),
    pending,
    failed,
    edited: diagnosis.editedMigrationNames,
    notInFolder,
  };
}

/**
 * `prisma migrate dev --create-only`: diffs prisma/schema.prisma against the migrations folder
 * and writes the difference as prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql
 * (plus migration_lock.toml if missing). Writes nothing when there is no difference.
 *
 * The database at databaseUrl itself is left alone (unlike `migrate dev`, which first applies
 * pending migrations to it and refuses on drift): the folder is replayed into a temporary
 * database on the same server, dropped afterwards, so its state never blocks a new migration.
 */
export async function createMigration(databaseUrl: string, name: string): Promise<CreatedMigration> {
  const migrationName = checkMigrationName(name);
  const target = parseDatabaseUrl(databaseUrl);
  const migrationsList = await readMigrationsFolder();
  const schemaPath = path.join(projectRoot(), "prisma", "schema.prisma");
  const schemaFile = { path: schemaPath, content: await readFile(schemaPath, "utf8") };

  const output = await withTemporaryDatabase(target, (scratch) =>
    withSchemaEngine(scratch, [schemaFile], async (engine) => {
      // The engine's createMigration cannot open a shadow database itself: it only reuses the
      // schema that diagnoseMigrationHistory (opted in to a shadow database) computed for the
      // *applied* migrations. So apply them all to the scratch database, diagnose, then create.
      await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      const { action } = await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
      if (action.tag === "reset") throw new Error(`The migrations folder is inconsistent: ${action.reason}`);
      // draft: false returns no script (null) when nothing changed; draft: true would
      // produce an empty migration instead.
      return engine.createMigration({
        draft: false,
        migrationName,
        migrationsList,
        schema: { files: [schemaFile] },
        filters: NO_FILTER,
      });
    }),
  );
  if (output.migrationScript === null) return { created: false, reason: "no changes" };

  const dir = path.join(migrationsList.baseDir, output.generatedMigrationName);
  if (existsSync(dir)) throw new Error(`The migration directory already exists: ${dir}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `migration.${output.extension}`);
  await writeFile(file, output.migrationScript, "utf8");
  await writeLockfileIfMissing(migrationsList, output.connectorType);
  return { created: true, name: output.generatedMigrationName, file };
}

// ---------------------------------------------------------------------------------------------
// Files

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = "migration_lock.toml";

/**
 * The project root: the nearest directory above this file (or else the cwd) that holds both
 * package.json and prisma/schema.prisma (the second check skips bundler output such as .next).
 */
export function projectRoot(): string {
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`No project root (package.json with prisma/schema.prisma) above ${starts.join(" or ")}`);
}

export function migrationsDir(): string {
  return path.join(projectRoot(), "prisma", "migrations");
}

/** Reads the folder the way Prisma's CLI does: every subdirectory's migration.sql, sorted by name. */
async function readMigrationsFolder(): Promise<MigrationList> {
  const baseDir = migrationsDir();
  const lockContent = await readFile(path.join(baseDir, LOCKFILE), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(path.join(baseDir, dir, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

async function writeLockfileIfMissing(list: MigrationList, provider: string): Promise<void> {
  if (list.lockfile.content !== null) return;
  const text =
    "# Please do not edit this file manually\n" +
    "# It should be added in your version-control system (e.g., Git)\n" +
    `provider = "${provider}"\n`;
  await writeFile(path.join(list.baseDir, list.lockfile.path), text, "utf8");
}

/** Keeps the directory name safe and readable: letters, digits and underscores. */
function checkMigrationName(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!cleaned) throw new Error(`Invalid migration name ${JSON.stringify(name)}: use letters, digits and underscores`);
  return cleaned.slice(0, 200);
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly engine

type EngineModule = typeof engineGlue;
let engineModule: Promise<EngineModule> | undefined;

/**
 * Trap 1: Node 20 cannot `import` the package's main entry (it imports a .wasm file as an ES
 * module). Do what that entry does by hand, as wasm-bindgen's glue expects: compile the .wasm,
 * instantiate it with the glue module as its imports, hand the exports to the glue, then start.
 * The glue keeps one instance in a module variable, so this happens once per process.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    // The async forms compile the 5 MB module without blocking a running server's event loop.
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": engineImports(engineGlue) });
    installPanicRegistry();
    engineGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return engineGlue;
  })();
  engineModule.catch(() => (engineModule = undefined));
  return engineModule;
}

/** The glue's imports, with the timer and callback entry points adjusted (see below). */
function engineImports(glue: EngineModule): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...glue };
  for (const [name, original] of Object.entries(glue)) {
    if (typeof original !== "function") continue;
    if (name.startsWith("__wbg_setTimeout_")) imports[name] = unrefTimeout;
    if (name.startsWith("__wbg_queueMicrotask_") || name.startsWith("__wbg_then_")) {
      const call = original as (...args: unknown[]) => unknown;
      imports[name] = (...args: unknown[]) =>
        call(...args.map((arg) => (typeof arg === "function" ? guard(arg as (...a: unknown[]) => unknown) : arg)));
    }
  }
  return imports;
}

/**
 * Trap 4 (the timer): after applyMigrations the engine leaves a ~10 s setTimeout pending (a
 * timeout it never cancels: the glue has no clearTimeout). It would keep a CLI alive for 10 s.
 * The engine's only timer import is replaced by one whose timers are unref'd, so they never
 * keep the process alive; when one fires later it just wakes a finished future (harmless).
 */
function unrefTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  return setTimeout(guard(callback), ms >>> 0).unref();
}

/**
 * Engine panics: a Rust panic inside the engine's async code is a WebAssembly trap thrown from
 * a microtask, promise callback or timer, i.e. an uncaught exception that kills the host
 * process (a server calling applyMigrations) before any clean-up, leaving temporary databases
 * behind. The callbacks the engine hands to JS are guarded: a trap there marks the engine as
 * crashed and fails the running operations instead. A crashed instance cannot be reused.
 */
let crash: Error | undefined;
const crashListeners = new Set<(error: Error) => void>();

function guard<A extends unknown[], R>(callback: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return callback(...args);
    } catch (error) {
      recordCrash(error);
      return undefined;
    }
  };
}

function recordCrash(error: unknown): Error {
  crash ??= new Error(
    `The schema engine crashed (restart the process to use it again): ${lastPanicMessage() ?? String(error)}`,
  );
  for (const fail of crashListeners) fail(crash);
  return crash;
}

/** Settles like promise, or rejects as soon as the engine crashes. */
function unlessCrashed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {}); // after a crash it may still reject, with nobody listening
  if (crash) return Promise.reject(crash);
  let fail!: (error: Error) => void;
  const crashed = new Promise<never>((_, reject) => (fail = reject));
  crashListeners.add(fail);
  return Promise.race([promise, crashed]).finally(() => crashListeners.delete(fail));
}

type PanicRegistry = { message?: string; set_message(message: string): void };
const panicKey = "PRISMA_WASM_PANIC_REGISTRY";

/**
 * A Rust panic reports its message through this global (Prisma's CLI defines it); without it
 * the panic surfaces only as "RuntimeError: unreachable".
 */
function installPanicRegistry(): void {
  const global = globalThis as { [panicKey]?: PanicRegistry };
  global[panicKey] ??= {
    set_message(message) {
      this.message = message;
    },
  };
}

function lastPanicMessage(): string | undefined {
  return (globalThis as { [panicKey]?: PanicRegistry })[panicKey]?.message;
}

/**
 * Runs fn with a fresh engine on the target database, then frees the engine and ends every
 * pool it opened (also on failure), so a long-running server is left with no connections.
 * Errors become plain Errors that name the server by host:port and never the password.
 */
async function withSchemaEngine<T>(
  target: Target,
  schemaFiles: { path: string; content: string }[] | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const factory = new MigrationPg(target);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  const cleanUp = async () => {
    if (!crash) engine?.free();
    engine = undefined;
    await factory.close();
  };

  let result: T;
  try {
    const { SchemaEngine } = await loadEngineModule();
    // datamodels must be undefined or non-empty.
    const datamodels = schemaFiles?.map((file): [string, string] => [file.path, file.content]);
    engine = await unlessCrashed(SchemaEngine.new({ datamodels }, engineLog, adapter));
    result = await unlessCrashed(fn(engine));
  } catch (error) {
    // A trap thrown straight from an engine call is a panic too.
    const reported = error instanceof WebAssembly.RuntimeError ? recordCrash(error) : error;
    await cleanUp().catch(() => {}); // the first error is the one worth reporting
    throw describeError(reported, adapter.errorRegistry, target);
  }
  await cleanUp().catch((error: unknown) => {
    throw describeError(error, undefined, target);
  });
  return result;
}

function engineLog(message: string): void {
  if (env().DEBUG?.includes("schema-engine")) process.stderr.write(`[schema-engine] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// The database connection

/** A database to connect to: pg config, Prisma's ?schema=, and how to name it in messages. */
type Target = { config: pg.PoolConfig; schema: string | undefined; where: string; label: string };

/**
 * Trap 3 needs the connection as separate fields: the shadow and scratch databases reuse this
 * config with another `database`, and a `connectionString` would silently win over that field
 * (pg parses it last), connecting them to the main database instead.
 * Supported: user, password, host, port, database, ?schema=, ?sslmode=.
 */
function parseDatabaseUrl(databaseUrl: string): Target {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error("The database URL is not a valid URL (expected postgresql://user:password@host:port/database)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new Error(`The database URL must start with postgresql://, not ${url.protocol}//`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost";
  const port = url.port ? Number(url.port) : 5432;
  const sslmode = url.searchParams.get("sslmode");
  const config: pg.PoolConfig = {
    host,
    port,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    ssl:
      sslmode && sslmode !== "disable" && sslmode !== "prefer"
        ? { rejectUnauthorized: sslmode === "verify-full" || sslmode === "verify-ca" }
        : undefined,
    connectionTimeoutMillis: 10_000,
    Client: CharColumnClient,
  };
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const label = `${where}/${config.database ?? "(default database)"}`;
  return { config, schema: url.searchParams.get("schema") ?? undefined, where, label };
}

/**
 * Trap 2: the engine reads pg_catalog columns of type "char" (OID 18), e.g.
 * pg_constraint.contype, which adapter-pg cannot map ("Column type 'char' could not be
 * deserialized"). Reporting them as text is not enough: the engine then panics ("Getting
 * constraint_type ... as char failed") as soon as a CHECK constraint exists, or on
 * PostgreSQL 18 for any table at all (NOT NULL constraints are listed in pg_constraint).
 * So this client relabels such columns as text (OID 25), which adapter-pg accepts, and
 * notes their positions on the rows array, which adapter-pg hands back untouched;
 * reportCharColumns() then types those columns as Character, the type the engine expects.
 * Used for the migration connections only; the app's Prisma client is unaffected.
 */
class CharColumnClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const query = super.query as (...a: unknown[]) => unknown;
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, result: unknown) =>
        last(error, error ? result : noteCharColumns(result));
      return query.apply(this, args);
    }
    const returned = query.apply(this, args);
    return returned instanceof Promise ? returned.then(noteCharColumns) : returned;
  }
}

const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumns = Symbol("charColumns");
type RowsWithCharColumns = unknown[] & { [charColumns]?: number[] };

function noteCharColumns<R>(result: R): R {
  for (const one of Array.isArray(result) ? result : [result]) {
    const { fields, rows } = (one ?? {}) as Partial<pg.QueryResult>;
    const positions = (fields ?? []).flatMap((field, i) => (field.dataTypeID === CHAR_OID ? [i] : []));
    if (positions.length === 0 || !rows) continue;
    for (const i of positions) fields![i]!.dataTypeID = TEXT_OID;
    (rows as RowsWithCharColumns)[charColumns] = positions;
  }
  return result;
}

type Queryable = Pick<PgAdapter, "queryRaw">;

function reportCharColumns(queryable: Queryable): void {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of (result.rows as RowsWithCharColumns)[charColumns] ?? []) {
      result.columnTypes[i] = ColumnTypeEnum.Character;
    }
    return result;
  };
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** PrismaPg that remembers every adapter (pool) it opens, so all can be closed afterwards. */
class MigrationPg extends PrismaPg {
  private readonly open = new Set<PgAdapter>();

  constructor(private readonly target: Target) {
    super(target.config, { schema: target.schema });
  }

  override async connect(): Promise<PgAdapter> {
    return this.track(await super.connect());
  }

  /**
   * Trap 3: adapter-pg's own version opens a pool it never closes, and drops the shadow
   * database while the shadow pool is still connected to it (which fails, leaking the
   * database). Here: create it with a one-off client; on dispose, end the shadow pool first,
   * then DROP DATABASE ... WITH (FORCE).
   */
  override async connectToShadowDb(): Promise<PgAdapter> {
    const shadowTarget = await createTemporaryDatabase(this.target, "prisma_migrate_shadow_db");
    const shadow = await new PrismaPg(shadowTarget.config, { schema: shadowTarget.schema }).connect();
    const endPool = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await endPool();
      await dropTemporaryDatabase(this.target, shadowTarget);
    };
    return this.track(shadow);
  }

  /** Ends every pool still open (the engine disposes some itself; dispose runs once). */
  async close(): Promise<void> {
    const adapters = [...this.open];
    this.open.clear();
    const results = await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  private track(adapter: PgAdapter): PgAdapter {
    sendScriptsWhole(adapter);
    reportCharColumns(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      reportCharColumns(transaction);
      return transaction;
    };
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      this.open.delete(adapter);
      return (disposed ??= dispose());
    };
    this.open.add(adapter);
    return adapter;
  }
}

/**
 * Trap 5: adapter-pg's executeScript, which the engine uses to run each migration.sql, splits
 * the script on every ";" and runs the pieces one by one. A ";" inside a string, comment or
 * function body ($$ ... $$) then breaks a valid migration, and a failure halfway leaves the
 * earlier statements committed. Send the script whole instead, as Prisma's native engine
 * does: one simple-protocol query (no parameters), which PostgreSQL runs as one implicit
 * transaction. executeRaw with no arguments is exactly that, with adapter-pg's error mapping.
 */
function sendScriptsWhole(adapter: PgAdapter): void {
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
}

/** Runs fn on a new empty database next to target's, dropped afterwards whatever happens. */
async function withTemporaryDatabase<T>(target: Target, fn: (scratch: Target) => Promise<T>): Promise<T> {
  const scratch = await createTemporaryDatabase(target, "prisma_migrate_scratch_db").catch((error: unknown) => {
    throw describeError(error, undefined, target);
  });
  try {
    return await fn(scratch);
  } finally {
    await dropTemporaryDatabase(target, scratch);
  }
}

async function createTemporaryDatabase(target: Target, prefix: string): Promise<Target> {
  const database = `${prefix}_${randomUUID().replaceAll("-", "")}`;
  await runAdminStatement(target, `CREATE DATABASE "${database}"`);
  const label = `${target.where} (temporary database ${database})`;
  return { ...target, config: { ...target.config, database }, label };
}

/** WITH (FORCE) (PostgreSQL 13+) also ends connections some pool may have left behind. */
async function dropTemporaryDatabase(target: Target, temporary: Target): Promise<void> {
  await runAdminStatement(target, `DROP DATABASE IF EXISTS "${temporary.config.database}" WITH (FORCE)`);
}

/** CREATE/DROP DATABASE cannot run in a transaction: use a plain client of its own. */
async function runAdminStatement(target: Target, sql: string): Promise<void> {
  const client = new pg.Client(target.config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

const UNREACHABLE = ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"];

/**
 * Turns engine and driver failures into one readable Error naming host:port (never the
 * password). When the JS adapter failed, the engine only says "External error id#N": the
 * original error is looked up in the adapter's error registry.
 */
function describeError(error: unknown, registry: ErrorRegistry | undefined, target: Target): Error {
  const rawMessage = messageOf(error);
  const engineMessage = withoutSpanTrace(rawMessage).replace(/^external connector error\s*/, "");
  const external = registry ? externalError(engineMessage, registry) : undefined;
  const cause = external ?? error;
  const code = (cause as { code?: unknown } | null)?.code;
  const text = hidePassword(
    external === undefined
      ? engineMessage
      : `${engineMessage.replace(/\s*External error id#\d+/, "")}: ${withoutSpanTrace(messageOf(external))}`,
    target,
  );
  const { where } = target;

  if (crash && cause === crash) return new Error(`${crash.message} (on ${target.label})`);
  if ((typeof code === "string" && UNREACHABLE.includes(code)) || /Can't reach database server/.test(text)) {
    const detail = typeof code === "string" ? ` (${code})` : "";
    return new Error(`Cannot reach PostgreSQL at ${where}${detail}: is the server running?`);
  }
  if (code === "3D000" || /Database `[^`]*` does not exist/.test(text)) {
    return new Error(`Database "${target.config.database ?? ""}" does not exist on PostgreSQL at ${where}`);
  }
  if (code === "28P01" || code === "28000" || /denied access|Authentication failed/i.test(text)) {
    return new Error(`PostgreSQL at ${where} refused user "${target.config.user ?? ""}": ${oneLine(text)}`);
  }
  // The span trace names the migration that failed: keep that part.
  const migration = /Applying migration\s+with migration_name="([^"]+)"/.exec(rawMessage)?.[1];
  return new Error(`Migration failed on ${target.label}${migration ? ` while applying ${migration}` : ""}: ${text}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function externalError(message: string, registry: ErrorRegistry): unknown {
  const id = /External error id#(\d+)/.exec(message)?.[1];
  return id === undefined ? undefined : registry.consumeError(Number(id))?.error;
}

/** Engine errors end with a Rust span trace ("   0: schema_engine_wasm::..."): noise for users. */
function withoutSpanTrace(message: string): string {
  return message.split(/\n\s+0: /)[0]!.trim();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function hidePassword(text: string, target: Target): string {
  const password = target.config.password;
  return typeof password === "string" && password ? text.split(password).join("****") : text;
}
