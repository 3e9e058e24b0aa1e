// Integration: socket.io on the real production server. Every connection is authenticated like
// the API (session cookie or API token), browser connections must come from our origin, and
// `subscribe` joins a website's room only for a website that exists.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { startAppServer, type AppServer } from "../testing/server";
import { call, createApiToken, setupOwner, signIn } from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;

let database: ScratchDatabase;
let server: AppServer;
let cookie: string;
let viewerToken: string;
let revokedToken: string;
let websiteId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN });
  const owner = await setupOwner(server.url);
  cookie = await signIn(server.url, owner.email, owner.password);
  viewerToken = (await createApiToken(server.url, { cookie }, "viewer")).token;
  const revoked = await createApiToken(server.url, { cookie }, "viewer", "revoked");
  expect((await call(server.url, `/api/tokens/${revoked.id}`, { method: "DELETE", cookie })).status).toBe(204);
  revokedToken = revoked.token;
  websiteId = `site-${randomUUID()}`;
  expect((await call(server.url, "/api/websites", { method: "POST", token: ADMIN_API_TOKEN, body: { id: websiteId } })).status).toBe(201);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

type Options = { cookie?: string; origin?: string; token?: string; transports?: ("websocket" | "polling")[] };

function open(options: Options): Socket {
  const extraHeaders: Record<string, string> = {};
  if (options.cookie) extraHeaders.cookie = options.cookie;
  if (options.origin) extraHeaders.origin = options.origin;
  const socket = io(server.url, {
    path: "/socket.io",
    transports: options.transports ?? ["websocket"],
    extraHeaders,
    auth: options.token ? { token: options.token } : {},
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  sockets.push(socket);
  return socket;
}

/** Resolves with "connected" or the connect_error's message. */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(`error: ${error.message}`));
  });
}

function subscribe(socket: Socket, input: unknown): Promise<{ ok: boolean; error?: string }> {
  return socket.timeout(5000).emitWithAck("subscribe", input);
}

describe("socket.io connections", () => {
  it("refuses a connection without credentials (unauthorized)", async () => {
    expect(await outcome(open({ origin: server.url }))).toBe("error: unauthorized");
    expect(await outcome(open({}))).toBe("error: unauthorized");
  });

  it("refuses a revoked or unknown token and a bogus cookie", async () => {
    expect(await outcome(open({ token: revokedToken }))).toBe("error: unauthorized");
    expect(await outcome(open({ token: "lsm_not-a-real-token-0123456789" }))).toBe("error: unauthorized");
    expect(await outcome(open({ cookie: "better-auth.session_token=forged.c2ln", origin: server.url }))).toBe("error: unauthorized");
  });

  it("accepts a session cookie from our own origin", async () => {
    expect(await outcome(open({ cookie, origin: server.url }))).toBe("connected");
    expect(await outcome(open({ cookie, origin: server.url, transports: ["polling"] }))).toBe("connected");
  });

  it("accepts an API token (auth.token), including ADMIN_API_TOKEN", async () => {
    expect(await outcome(open({ token: viewerToken }))).toBe("connected");
    expect(await outcome(open({ token: ADMIN_API_TOKEN }))).toBe("connected");
  });

  it("refuses a foreign Origin, even with valid credentials", async () => {
    for (const transports of [["websocket"], ["polling"]] as const) {
      const withCookie = await outcome(open({ cookie, origin: "https://evil.example", transports: [...transports] }));
      expect(withCookie, transports[0]).toMatch(/^error: /);
      const withToken = await outcome(open({ token: viewerToken, origin: "https://evil.example", transports: [...transports] }));
      expect(withToken, transports[0]).toMatch(/^error: /);
    }
  });
});

describe("subscribe", () => {
  it("acks {ok:true} for an existing website", async () => {
    const socket = open({ cookie, origin: server.url });
    expect(await outcome(socket)).toBe("connected");
    expect(await subscribe(socket, { websiteId })).toEqual({ ok: true });
    const byToken = open({ token: viewerToken });
    expect(await outcome(byToken)).toBe("connected");
    expect(await subscribe(byToken, { websiteId })).toEqual({ ok: true });
  });

  it("acks {ok:false} for an unknown website or bad input", async () => {
    const socket = open({ token: viewerToken });
    expect(await outcome(socket)).toBe("connected");
    const bad: unknown[] = [{ websiteId: `site-${randomUUID()}` }, {}, { websiteId: "" }, { websiteId: 42 }, websiteId, null, { websiteId: "x".repeat(256) }];
    for (const input of bad) {
      const reply = await subscribe(socket, input);
      expect(reply.ok, JSON.stringify(input)).toBe(false);
      expect(reply.error).toEqual(expect.any(String));
    }
    // The socket is still usable afterwards.
    expect(await subscribe(socket, { websiteId })).toEqual({ ok: true });
  });
});
