import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { trustedOrigins } from "../auth/auth";
import { resolvePrincipal, type Principal } from "../auth/principal";
import { db } from "../db/client";
import { logger } from "../log";

const subscribeSchema = z.object({ websiteId: z.string().min(1).max(255) });

export const websiteRoom = (websiteId: string) => `website:${websiteId}`;

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
export function attachSocketServer(server: HttpServer): Server {
  const io = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || trustedOrigins().includes(origin));
    },
  });

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
    // Every role may read every website of this installation; the room is joined only for a
    // website that exists.
    socket.on("subscribe", async (input: unknown, ack?: (reply: { ok: boolean; error?: string }) => void) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = subscribeSchema.safeParse(input);
      if (!parsed.success) return reply({ ok: false, error: "Expected { websiteId }" });
      const website = await db().website.findUnique({ where: { id: parsed.data.websiteId }, select: { id: true } });
      if (!website) return reply({ ok: false, error: "No such website" });
      await socket.join(websiteRoom(website.id));
      reply({ ok: true });
    });
  });

  return io;
}
