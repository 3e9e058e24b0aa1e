// The custom server: starts (or connects to) PostgreSQL, applies migrations, and serves Next.js.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { startAlerting } from "./lib/alerts/engine";
import { loadAppSecret } from "./lib/auth/app-key";
import { ensureOwnerFromEnv } from "./lib/auth/users";
import { disconnectDb } from "./lib/db/client";
import { openDatabase } from "./lib/db/embedded";
import { applyMigrations } from "./lib/db/migrate";
import { env, setDatabaseUrl } from "./lib/env";
import { startRetentionSchedule } from "./lib/lifecycle/retention";
import { logger } from "./lib/log";
import { startDeliveryWorker } from "./lib/notify/worker";
import { attachSocketServer } from "./lib/realtime/socket-server";
import { machineRoute } from "./lib/server/machine-routes";
import { REQUEST_PATH_HEADER } from "./lib/server/request-path";
import { applySecurityHeaders } from "./lib/server/security-headers";

const SHUTDOWN_GRACE_MS = 10_000;

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The path for the log: no query string, and no invitation token (it grants an account). */
function loggedRoute(url: string | undefined): string {
  return (url ?? "").split("?", 1)[0]!.replace(/^(\/api\/invitations|\/invite)\/(?!accept$)[^/]+/, "$1/:token");
}

/** Machine routes (webhook, health) first, everything else to Next.js; one log line per request. */
function serve(next: Handler, dev: boolean) {
  const trustProxy = env().TRUST_PROXY;
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    // The client address for rate limits: the socket's, unless a trusted proxy reports it.
    if (!trustProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    res.once("finish", () => {
      logger().info({
        method: req.method,
        route: loggedRoute(req.url),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    const machine = machineRoute(req);
    if (!machine) {
      applySecurityHeaders(req, res, dev);
      // Lets a page that redirects to sign-in say where to come back to.
      req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
    }
    (machine ?? next)(req, res).catch((error: unknown) => {
      logger().error({ err: error }, "request failed");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side.", details: null } }));
      }
    });
  };
}

export async function startServer(options: { dev: boolean }): Promise<void> {
  const log = logger();
  const database = await openDatabase();
  setDatabaseUrl(database.url);
  const { applied, interrupted } = await applyMigrations(database.url);
  if (interrupted.length > 0) log.warn({ interrupted }, "migrations a stopped process left unfinished were applied again");
  log.info({ embedded: database.embedded, applied }, "database ready");
  await loadAppSecret();
  await ensureOwnerFromEnv();
  if (!env().LIVESESSION_WEBHOOK_SECRET) {
    log.warn("LIVESESSION_WEBHOOK_SECRET is not set: webhooks are accepted without a signature");
  }

  const { PORT: port, HOST: hostname } = env();
  const app = next({ dev: options.dev, hostname, port });
  await app.prepare();
  const server = createServer(serve(app.getRequestHandler(), options.dev));
  const live = await attachSocketServer(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  log.info({ url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}` }, "server listening");
  const retention = startRetentionSchedule();
  const alerting = startAlerting();
  const deliveries = startDeliveryWorker();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    await Promise.all([live.close(), retention.stop(), deliveries.stop()]);
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
    });
    clearTimeout(force);
    // After the last requests: their committed batches are evaluated before the database goes.
    await alerting.stop();
    await disconnectDb();
    await database.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startServer({ dev: process.argv.includes("--dev") }).catch((error: unknown) => {
    logger().fatal({ err: error }, error instanceof Error ? error.message : "start-up failed");
    process.exit(1);
  });
}
