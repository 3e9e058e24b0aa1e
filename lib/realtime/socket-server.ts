import type { Server as HttpServer } from "node:http";
import { createAdapter as createPostgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as createRedisAdapter } from "@socket.io/redis-adapter";
import pg from "pg";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import { trustedOrigins } from "../auth/auth";
import { resolvePrincipal, type Principal } from "../auth/principal";
import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import { ALERTS_ROOM, setAlertFeed } from "./alert-feed";
import { eventsSince } from "./catch-up";
import { subscribeSchema } from "./filters";
import { LiveHub, setHub } from "./hub";

export { websiteRoom } from "./hub";

// The socket.io PostgreSQL adapter keeps payloads over NOTIFY's 8,000-byte limit in this table
// (the hub cuts its messages below that, so it stays almost empty; the adapter prunes it).
const ATTACHMENTS_TABLE = `CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`;

/**
 * Connects socket.io to the other instances through the adapter LIVE_ADAPTER names; returns a
 * function that closes what it opened. `none` (one instance) needs nothing.
 */
async function useAdapter(io: Server): Promise<() => Promise<void>> {
  const { LIVE_ADAPTER, REDIS_URL, DATABASE_URL } = env();
  const onError = (error: Error) => logger().warn({ err: error.message }, "live adapter error");
  if (LIVE_ADAPTER === "postgres") {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    pool.on("error", onError);
    await pool.query(ATTACHMENTS_TABLE).catch((error: { code?: string }) => {
      // Instances starting together race on IF NOT EXISTS; the loser finds the table made.
      if (error.code !== "23505" && error.code !== "42P07") throw error;
    });
    io.adapter(createPostgresAdapter(pool, { errorHandler: onError }));
    return async () => {
      await pool.end().catch(() => {});
    };
  }
  if (LIVE_ADAPTER === "redis") {
    if (!REDIS_URL) throw new Error("LIVE_ADAPTER=redis needs REDIS_URL (redis://host:6379)");
    const pub = createClient({ url: REDIS_URL });
    const sub = pub.duplicate();
    pub.on("error", onError);
    sub.on("error", onError);
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createRedisAdapter(pub, sub));
    return async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    };
  }
  return async () => {};
}

function headersOf(socket: Socket): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(socket.request.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === "string") headers.set("authorization", `Bearer ${token}`);
  return headers;
}

/**
 * Attaches socket.io to the HTTP server. Every connection is authenticated like the API
 * (session cookie, or an API token in `auth.token`), and a browser connection must come from
 * our own origin (cookies would otherwise let another site open a socket as the user).
 */
export async function attachSocketServer(server: HttpServer): Promise<{ io: Server; close(): Promise<void> }> {
  const io = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || trustedOrigins().includes(origin));
    },
  });

  const closeAdapter = await useAdapter(io);
  const hub = new LiveHub(io, env().LIVE_ADAPTER !== "none");
  setHub(hub);
  setAlertFeed(io);

  io.use(async (socket, next) => {
    try {
      const principal = await resolvePrincipal(headersOf(socket));
      if (!principal) return next(new Error("unauthorized"));
      socket.data.principal = principal satisfies Principal;
      next();
    } catch (error) {
      logger().warn({ err: error }, "socket authentication failed");
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket) => {
    // The alert inbox: changes to any alert (lib/realtime/alert-feed.ts).
    socket.on("alerts:subscribe", async (_input: unknown, ack?: (reply: { ok: boolean }) => void) => {
      await socket.join(ALERTS_ROOM);
      if (typeof ack === "function") ack({ ok: true });
    });
    // Every role may read every website of this installation; the room is joined only for a
    // website that exists.
    socket.on("subscribe", async (input: unknown, ack?: (reply: { ok: boolean; error?: string }) => void) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = subscribeSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply({ ok: false, error: `Expected { websiteId, filters? }${issue ? `: ${[...issue.path].join(".") || "(root)"}: ${issue.message}` : ""}` });
      }
      const website = await db().website.findUnique({ where: { id: parsed.data.websiteId }, select: { id: true } });
      if (!website) return reply({ ok: false, error: "No such website" });
      await hub.subscribe(socket, parsed.data);
      reply({ ok: true });
      // Joined first, then read: an event committed meanwhile may come twice (the client
      // drops repeats by messageId), never not at all.
      if (parsed.data.since) {
        try {
          const missed = await eventsSince(website.id, new Date(parsed.data.since), parsed.data.filters);
          if (missed === null) hub.resync(socket, "behind");
          else hub.send(socket, missed);
        } catch (error) {
          logger().warn({ err: error }, "live catch-up failed");
          hub.resync(socket, "catch-up failed");
        }
      }
    });
  });

  return {
    io,
    async close() {
      setHub(undefined);
      setAlertFeed(undefined);
      io.disconnectSockets(true);
      await closeAdapter();
    },
  };
}
