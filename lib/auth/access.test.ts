// Integration: who may call what, on the real production server. Every kind of caller (no
// credentials, each role's session, API tokens, ADMIN_API_TOKEN, a revoked token) against
// every class of route (page, read API, admin API, webhook, health), plus CSRF and members.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import {
  addSignedInUser,
  call,
  createApiToken,
  setupOwner,
  signIn,
  type RequestOptions,
  type SignedInUser,
} from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;
// Event data only signed-in users may see.
const MARKER = `access-marker-${randomUUID()}`;

const CALLERS = ["anonymous", "viewer", "member", "admin", "owner", "viewer token", "admin token", "ADMIN_API_TOKEN", "revoked token"] as const;
type Caller = (typeof CALLERS)[number];
const ACCESS: Record<Caller, "none" | "read" | "admin"> = {
  anonymous: "none",
  viewer: "read",
  member: "read",
  admin: "admin",
  owner: "admin",
  "viewer token": "read",
  "admin token": "admin",
  ADMIN_API_TOKEN: "admin",
  "revoked token": "none",
};
const SESSIONS = new Set<Caller>(["viewer", "member", "admin", "owner"]);

let database: ScratchDatabase;
let server: AppServer;
const credentials = {} as Record<Caller, RequestOptions>;
let owner: SignedInUser;
let admin: SignedInUser;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN });
  const ownerUser = await setupOwner(server.url);
  owner = { ...ownerUser, cookie: await signIn(server.url, ownerUser.email, ownerUser.password) };
  admin = await addSignedInUser(server.url, { cookie: owner.cookie }, "admin");
  const member = await addSignedInUser(server.url, { cookie: owner.cookie }, "member");
  const viewer = await addSignedInUser(server.url, { cookie: admin.cookie }, "viewer");
  const viewerToken = await createApiToken(server.url, { cookie: owner.cookie }, "viewer");
  const adminToken = await createApiToken(server.url, { cookie: admin.cookie }, "admin");
  const revoked = await createApiToken(server.url, { cookie: owner.cookie }, "admin", "soon revoked");
  expect((await call(server.url, `/api/tokens/${revoked.id}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(204);

  Object.assign(credentials, {
    anonymous: {},
    viewer: { cookie: viewer.cookie },
    member: { cookie: member.cookie },
    admin: { cookie: admin.cookie },
    owner: { cookie: owner.cookie },
    "viewer token": { token: viewerToken.token },
    "admin token": { token: adminToken.token },
    ADMIN_API_TOKEN: { token: ADMIN_API_TOKEN },
    "revoked token": { token: revoked.token },
  } satisfies Record<Caller, RequestOptions>);

  const { body } = delivery("js-error", (d) => (d.payload.value = MARKER));
  expect((await postWebhook(server.url, body)).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

function expectError(reply: { status: number; json: any }, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.json).toEqual({ error: { code, message: expect.any(String), details: null } });
}

async function websiteExists(id: string): Promise<boolean> {
  const { rows } = await database.query("SELECT 1 FROM websites WHERE id = $1", [id]);
  return rows.length === 1;
}

describe("the role matrix", () => {
  it.each(CALLERS)("a page (GET /) as %s", async (caller) => {
    const reply = await call(server.url, "/", credentials[caller]);
    if (SESSIONS.has(caller)) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^text\/html/);
      expect(reply.text).toContain(MARKER);
    } else {
      // Pages are for signed-in people; a token (or nothing) is sent to the sign-in page,
      // by an HTTP redirect and without any of the page's data.
      expect.soft(reply.text, "no page data without a session").not.toContain(MARKER);
      expect.soft([303, 307], "an HTTP redirect").toContain(reply.status);
      expect.soft(new URL(reply.headers.get("location") ?? "", server.url).pathname).toBe("/sign-in");
    }
  });

  it.each(CALLERS)("the read API as %s", async (caller) => {
    for (const path of ["/api/events", "/api/websites"]) {
      const reply = await call(server.url, path, credentials[caller]);
      if (ACCESS[caller] === "none") {
        expectError(reply, 401, "unauthorized");
      } else {
        expect(reply.status, path).toBe(200);
      }
    }
    const events = await call(server.url, "/api/events", credentials[caller]);
    if (ACCESS[caller] !== "none") expect(events.json.events.map((e: { value?: string }) => e.value)).toContain(MARKER);
    else expect(events.text).not.toContain(MARKER);
  });

  it.each(CALLERS)("the admin API as %s", async (caller) => {
    const as = credentials[caller];
    const siteId = `site-${randomUUID()}`;
    const replies = {
      "POST /api/websites": await call(server.url, "/api/websites", { ...as, method: "POST", body: { id: siteId, name: "Shop" } }),
      "GET /api/members": await call(server.url, "/api/members", as),
      "POST /api/tokens": await call(server.url, "/api/tokens", { ...as, method: "POST", body: { name: `by ${caller}`, role: "viewer" } }),
      "POST /api/invitations": await call(server.url, "/api/invitations", { ...as, method: "POST", body: { role: "viewer" } }),
    };
    for (const [route, reply] of Object.entries(replies)) {
      if (ACCESS[caller] === "none") expectError(reply, 401, "unauthorized");
      else if (ACCESS[caller] === "read") expectError(reply, 403, "forbidden");
      else expect([200, 201], `${route}: ${reply.text}`).toContain(reply.status);
    }
    expect(await websiteExists(siteId)).toBe(ACCESS[caller] === "admin");
    if (ACCESS[caller] === "admin") {
      expect(replies["GET /api/members"].json.members.map((m: { email: string }) => m.email)).toContain(owner.email);
      expect(replies["POST /api/tokens"].json.token).toMatch(/^lsm_/);
      expect(replies["POST /api/invitations"].json.link).toMatch(/\/invite\/[\w-]+$/);
    }
  });

  it("keeps the webhook open: a delivery without any credentials is stored", async () => {
    const { body, messageId } = delivery("net-error");
    expect(await postWebhook(server.url, body)).toEqual({ status: 200, json: { status: "stored", messageId } });
  });

  it("keeps GET /api/health open", async () => {
    const reply = await call(server.url, "/api/health");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: "ok" });
  });
});

describe("CSRF: state-changing requests authenticated by cookie", () => {
  it("refuses a cookie-authenticated POST without an Origin", async () => {
    const id = `site-${randomUUID()}`;
    const reply = await call(server.url, "/api/websites", { method: "POST", cookie: owner.cookie, origin: null, body: { id } });
    expectError(reply, 403, "forbidden");
    expect(await websiteExists(id)).toBe(false);
  });

  it("refuses a cookie-authenticated POST from a foreign Origin", async () => {
    const id = `site-${randomUUID()}`;
    const reply = await call(server.url, "/api/websites", { method: "POST", cookie: owner.cookie, origin: "https://evil.example", body: { id } });
    expectError(reply, 403, "forbidden");
    expect(await websiteExists(id)).toBe(false);
    const deleting = await call(server.url, `/api/members/${admin.id}`, { method: "DELETE", cookie: owner.cookie, origin: "https://evil.example" });
    expectError(deleting, 403, "forbidden");
    expect((await call(server.url, "/api/me", { cookie: admin.cookie })).status).toBe(200);
  });

  it("accepts the same POST with the app's own Origin", async () => {
    const id = `site-${randomUUID()}`;
    const reply = await call(server.url, "/api/websites", { method: "POST", cookie: owner.cookie, origin: server.url, body: { id } });
    expect(reply.status).toBe(201);
    expect(await websiteExists(id)).toBe(true);
  });

  it("allows a bearer-token POST without an Origin (no cookie, no CSRF)", async () => {
    for (const caller of ["admin token", "ADMIN_API_TOKEN"] as const) {
      const id = `site-${randomUUID()}`;
      const reply = await call(server.url, "/api/websites", { method: "POST", ...credentials[caller], origin: null, body: { id } });
      expect(reply.status, caller).toBe(201);
      expect(await websiteExists(id)).toBe(true);
    }
  });
});

describe("members", () => {
  it("never demotes or removes the owner (403), whoever asks", async () => {
    const attempts: [string, RequestOptions][] = [
      ["admin", { cookie: admin.cookie }],
      ["ADMIN_API_TOKEN", { token: ADMIN_API_TOKEN }],
      ["the owner", { cookie: owner.cookie }],
    ];
    for (const [who, as] of attempts) {
      const demote = await call(server.url, `/api/members/${owner.id}`, { ...as, method: "PATCH", body: { role: "viewer" } });
      expect(demote.status, `${who} demotes`).toBe(403);
      expect(demote.json.error.code).toBe("forbidden");
      const remove = await call(server.url, `/api/members/${owner.id}`, { ...as, method: "DELETE" });
      expect(remove.status, `${who} removes`).toBe(403);
      expect(remove.json.error.code).toBe("forbidden");
    }
    const { rows } = await database.query("SELECT role FROM users WHERE id = $1", [owner.id]);
    expect(rows).toEqual([{ role: "owner" }]);
    expect((await call(server.url, "/api/me", { cookie: owner.cookie })).json.principal).toMatchObject({ kind: "user", role: "owner" });
  });

  it("cannot make anyone owner", async () => {
    const reply = await call(server.url, "/api/members/whoever", { method: "PATCH", cookie: admin.cookie, body: { role: "owner" } });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe("bad_request");
  });

  it("lets an admin change a member's role (effective at once) and remove a member (their session stops working)", async () => {
    const user = await addSignedInUser(server.url, { cookie: admin.cookie }, "viewer");
    expectError(await call(server.url, "/api/members", { cookie: user.cookie }), 403, "forbidden");

    const promoted = await call(server.url, `/api/members/${user.id}`, { method: "PATCH", cookie: admin.cookie, body: { role: "admin" } });
    expect(promoted.status).toBe(200);
    expect(promoted.json.member).toMatchObject({ id: user.id, email: user.email, role: "admin" });
    expect((await call(server.url, "/api/members", { cookie: user.cookie })).status).toBe(200);

    const demoted = await call(server.url, `/api/members/${user.id}`, { method: "PATCH", cookie: admin.cookie, body: { role: "member" } });
    expect(demoted.json.member.role).toBe("member");
    expectError(await call(server.url, "/api/members", { cookie: user.cookie }), 403, "forbidden");

    const removed = await call(server.url, `/api/members/${user.id}`, { method: "DELETE", cookie: admin.cookie });
    expect(removed.status).toBe(204);
    expectError(await call(server.url, "/api/websites", { cookie: user.cookie }), 401, "unauthorized");
    const members = await call(server.url, "/api/members", { cookie: admin.cookie });
    expect(members.json.members.map((m: { id: string }) => m.id)).not.toContain(user.id);
    const { rows } = await database.query("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [user.id]);
    expect(rows[0].n).toBe(0);
    expect((await call(server.url, `/api/members/${user.id}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(404);
  });
});
