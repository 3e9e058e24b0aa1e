// Integration: the API token lifecycle on the real production server. Shown once, stored as a
// SHA-256 only, authenticates with its role, records its use, dies at once when revoked.
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { startAppServer, type AppServer } from "../testing/server";
import { call, createApiToken, setupOwner, signIn } from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;

let database: ScratchDatabase;
let server: AppServer;
let ownerCookie: string;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN });
  const owner = await setupOwner(server.url);
  ownerCookie = await signIn(server.url, owner.email, owner.password);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

async function listTokens() {
  const reply = await call(server.url, "/api/tokens", { cookie: ownerCookie });
  expect(reply.status).toBe(200);
  return reply;
}

describe("API tokens", () => {
  it("shows a new token once; the list and the database hold only its prefix and hash", async () => {
    const created = await call(server.url, "/api/tokens", { method: "POST", cookie: ownerCookie, body: { name: "CI reader", role: "viewer" } });
    expect(created.status).toBe(201);
    const { token, record } = created.json;
    expect(token).toMatch(/^lsm_[\w-]{20,}$/);
    expect(record).toEqual({ id: expect.any(String), name: "CI reader", role: "viewer", prefix: token.slice(0, 10), createdAt: expect.any(String), lastUsedAt: null });
    expect(JSON.stringify(record)).not.toContain(token);

    const list = await listTokens();
    expect(list.json.tokens).toContainEqual(record);
    expect(list.text).not.toContain(token);

    const { rows } = await database.query("SELECT * FROM api_tokens WHERE id = $1", [record.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(token));
    expect(rows[0].token_hash).not.toBe(token);
    expect(rows[0].prefix).toBe(token.slice(0, 10));
    for (const [column, value] of Object.entries(rows[0])) {
      expect(String(value instanceof Date ? value.toISOString() : value), column).not.toContain(token);
    }
    const dump = await database.query("SELECT count(*)::int AS n FROM api_tokens t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'", [token]);
    expect(dump.rows[0].n).toBe(0);
  });

  it("authenticates with its role", async () => {
    const viewer = await createApiToken(server.url, { cookie: ownerCookie }, "viewer", "viewer bot");
    const me = await call(server.url, "/api/me", { token: viewer.token });
    expect(me.status).toBe(200);
    expect(me.json.principal).toEqual({ kind: "token", tokenId: viewer.id, name: "viewer bot", role: "viewer" });
    expect((await call(server.url, "/api/events", { token: viewer.token })).status).toBe(200);
    const forbidden = await call(server.url, "/api/members", { token: viewer.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe("forbidden");

    const admin = await createApiToken(server.url, { cookie: ownerCookie }, "admin", "admin bot");
    expect((await call(server.url, "/api/me", { token: admin.token })).json.principal).toMatchObject({ kind: "token", role: "admin" });
    expect((await call(server.url, "/api/members", { token: admin.token })).status).toBe(200);
    const site = await call(server.url, "/api/websites", { method: "POST", token: admin.token, origin: null, body: { id: `site-${randomUUID()}` } });
    expect(site.status).toBe(201);
  });

  it("records when a token was last used", async () => {
    const created = await createApiToken(server.url, { cookie: ownerCookie }, "viewer", "usage");
    const listed = () => listTokens().then((r) => r.json.tokens.find((t: { id: string }) => t.id === created.id));
    expect((await listed()).lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await call(server.url, "/api/websites", { token: created.token })).status).toBe(200);
    const after = Date.now();
    const lastUsedAt = Date.parse((await listed()).lastUsedAt);
    // The database clock and ours may differ by a little.
    expect(lastUsedAt).toBeGreaterThanOrEqual(before - 2000);
    expect(lastUsedAt).toBeLessThanOrEqual(after + 2000);
    const { rows } = await database.query("SELECT last_used_at FROM api_tokens WHERE id = $1", [created.id]);
    expect(rows[0].last_used_at.getTime()).toBe(lastUsedAt);
  });

  it("stops working the moment it is revoked", async () => {
    const created = await createApiToken(server.url, { cookie: ownerCookie }, "admin", "to revoke");
    expect((await call(server.url, "/api/members", { token: created.token })).status).toBe(200);
    expect((await call(server.url, `/api/tokens/${created.id}`, { method: "DELETE", cookie: ownerCookie })).status).toBe(204);
    const after = await call(server.url, "/api/members", { token: created.token });
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ error: { code: "unauthorized", message: expect.any(String), details: null } });
    expect((await call(server.url, "/api/events", { token: created.token })).status).toBe(401);
    expect((await listTokens()).json.tokens.map((t: { id: string }) => t.id)).not.toContain(created.id);
    const again = await call(server.url, `/api/tokens/${created.id}`, { method: "DELETE", cookie: ownerCookie });
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe("not_found");
  });

  it("lets a token revoke itself, and only admins revoke tokens", async () => {
    const viewer = await createApiToken(server.url, { cookie: ownerCookie }, "viewer", "viewer that tries");
    const admin = await createApiToken(server.url, { cookie: ownerCookie }, "admin", "self-revoking");
    expect((await call(server.url, `/api/tokens/${admin.id}`, { method: "DELETE", token: viewer.token })).status).toBe(403);
    expect((await call(server.url, "/api/me", { token: admin.token })).status).toBe(200);
    expect((await call(server.url, `/api/tokens/${admin.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await call(server.url, "/api/me", { token: admin.token })).status).toBe(401);
  });

  it("accepts ADMIN_API_TOKEN as an admin", async () => {
    const me = await call(server.url, "/api/me", { token: ADMIN_API_TOKEN });
    expect(me.status).toBe(200);
    expect(me.json.principal).toEqual({ kind: "token", tokenId: null, name: "ADMIN_API_TOKEN", role: "admin" });
    expect((await call(server.url, "/api/members", { token: ADMIN_API_TOKEN })).status).toBe(200);
    const created = await call(server.url, "/api/tokens", { method: "POST", token: ADMIN_API_TOKEN, origin: null, body: { name: "made by env token", role: "viewer" } });
    expect(created.status).toBe(201);
    expect((await call(server.url, "/api/me", { token: created.json.token })).json.principal.role).toBe("viewer");
    // A near miss of the env token is nobody.
    expect((await call(server.url, "/api/me", { token: `${ADMIN_API_TOKEN}x` })).status).toBe(401);
    expect((await call(server.url, "/api/me", { token: ADMIN_API_TOKEN.slice(0, -1) })).status).toBe(401);
  });

  it("answers 401 to a malformed or unknown Authorization header, even next to a valid session cookie", async () => {
    expect((await call(server.url, "/api/me", { cookie: ownerCookie })).status).toBe(200);
    const malformed = [
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer ",
      "Bearer two parts",
      "Token lsm_abcdefghijklmnopqrstuvwxyz",
      "lsm_abcdefghijklmnopqrstuvwxyz",
      "Bearer lsm_not-a-real-token-0123456789abcdef",
      "",
    ];
    for (const authorization of malformed) {
      const reply = await call(server.url, "/api/me", { cookie: ownerCookie, headers: { authorization } });
      expect(reply.status, JSON.stringify(authorization)).toBe(401);
      expect(reply.json.error.code).toBe("unauthorized");
    }
  });

  it("never writes a token to the server log", async () => {
    const created = await createApiToken(server.url, { cookie: ownerCookie }, "viewer", "log check");
    await call(server.url, "/api/events", { token: created.token });
    await call(server.url, "/api/events?cursor=x", { token: created.token });
    expect(server.output()).toContain('"route":"/api/events"');
    expect(server.output()).not.toContain(created.token);
    expect(server.output()).not.toContain(ADMIN_API_TOKEN);
  });
});
