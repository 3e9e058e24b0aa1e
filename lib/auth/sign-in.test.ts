// Integration: email sign-in, sessions and the per-account failure limit on the real server.
// Better Auth limits sign-ins to 20 a minute per IP: this file sends 19 that reach it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { startAppServer, type AppServer } from "../testing/server";
import { addUser, call, newEmail, newPassword, setupOwner, signIn, trySignIn, type TestUser } from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;

let database: ScratchDatabase;
let server: AppServer;
let alice: TestUser;
let locked: TestUser;
let other: TestUser;
let aliceCookie: string;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN });
  await setupOwner(server.url);
  const admin = { token: ADMIN_API_TOKEN };
  alice = await addUser(server.url, admin, "member", { email: newEmail("alice") });
  locked = await addUser(server.url, admin, "viewer", { email: newEmail("locked") });
  other = await addUser(server.url, admin, "viewer", { email: newEmail("other") });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const me = (cookie: string) => call(server.url, "/api/me", { cookie });
const sessionToken = (cookie: string) => decodeURIComponent(/better-auth\.session_token=([^;]+)/.exec(cookie)![1]!).split(".")[0]!;

async function failures(email: string): Promise<number> {
  const { rows } = await database.query("SELECT count(*)::int AS n FROM sign_in_failures WHERE email = $1", [email.toLowerCase()]);
  return rows[0].n;
}

describe("email sign-in", () => {
  it("answers a wrong password and an unknown email the same way", async () => {
    const wrongPassword = await trySignIn(server.url, alice.email, newPassword());
    const unknownEmail = await trySignIn(server.url, newEmail("nobody"), newPassword());
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.text).toBe(wrongPassword.text);
    expect(wrongPassword.cookie).not.toContain("session_token");
    expect(unknownEmail.cookie).not.toContain("session_token");
    expect(await failures(alice.email)).toBe(1);
  });

  it("refuses a 6th attempt after 5 failures for one email (429, even with the right password); other emails still work", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await trySignIn(server.url, locked.email, newPassword())).status, `failure ${i + 1}`).toBe(401);
    }
    expect(await failures(locked.email)).toBe(5);
    const sixth = await trySignIn(server.url, locked.email, locked.password);
    expect(sixth.status).toBe(429);
    expect(sixth.json).toEqual({ error: { code: "too_many_requests", message: expect.any(String), details: null } });
    expect(sixth.cookie).not.toContain("session_token");
    // The limit is per account, whatever the case of the address.
    expect((await trySignIn(server.url, locked.email.toUpperCase(), locked.password)).status).toBe(429);
    expect((await database.query("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", [locked.email])).rows[0].n).toBe(0);

    const cookie = await signIn(server.url, other.email, other.password);
    expect((await me(cookie)).json.principal).toMatchObject({ kind: "user", email: other.email, role: "viewer" });
  });

  it("gives an unknown email that keeps failing the same 429 as a real account", async () => {
    const ghost = newEmail("ghost");
    for (let i = 0; i < 5; i++) expect((await trySignIn(server.url, ghost, newPassword())).status).toBe(401);
    const throttledGhost = await trySignIn(server.url, ghost, newPassword());
    const throttledReal = await trySignIn(server.url, locked.email, newPassword());
    expect(throttledGhost.status).toBe(429);
    expect(throttledGhost.text).toBe(throttledReal.text);
  });

  it("sets an HttpOnly, SameSite=Lax session cookie, and a success clears the failure count", async () => {
    expect(await failures(alice.email)).toBe(1);
    const reply = await trySignIn(server.url, alice.email, alice.password);
    expect(reply.status).toBe(200);
    const session = reply.headers.getSetCookie().find((line) => line.startsWith("better-auth.session_token="));
    expect(session).toBeDefined();
    const attributes = session!.split(";").slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    for (const line of reply.headers.getSetCookie()) expect(line.toLowerCase(), line).toMatch(/;\s*httponly/);
    expect((await me(reply.cookie)).status).toBe(200);
    expect(await failures(alice.email)).toBe(0);
  });

  it("ends the session on sign-out (the API then answers 401)", async () => {
    const cookie = await signIn(server.url, alice.email, alice.password);
    expect((await me(cookie)).status).toBe(200);
    const out = await call(server.url, "/api/auth/sign-out", { method: "POST", cookie, body: {} });
    expect(out.status).toBe(200);
    const after = await call(server.url, "/api/websites", { cookie });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("unauthorized");
    expect((await database.query("SELECT count(*)::int AS n FROM sessions WHERE token = $1", [sessionToken(cookie)])).rows[0].n).toBe(0);
  });

  it("lists a user's sessions and revokes another one (whose cookie then gets 401)", async () => {
    const first = await signIn(server.url, other.email, other.password);
    const second = await signIn(server.url, other.email, other.password);
    const listed = await call(server.url, "/api/auth/list-sessions", { cookie: first });
    expect(listed.status).toBe(200);
    const tokens = listed.json.map((s: { token: string }) => s.token);
    expect(tokens).toEqual(expect.arrayContaining([sessionToken(first), sessionToken(second)]));
    // Only this user's sessions.
    const { rows } = await database.query("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", [other.email]);
    expect(listed.json).toHaveLength(rows[0].n);

    const revoked = await call(server.url, "/api/auth/revoke-session", { method: "POST", cookie: first, body: { token: sessionToken(second) } });
    expect(revoked.status).toBe(200);
    const gone = await call(server.url, "/api/websites", { cookie: second });
    expect(gone.status).toBe(401);
    expect(gone.json.error.code).toBe("unauthorized");
    expect((await me(first)).status).toBe(200);
    const relisted = await call(server.url, "/api/auth/list-sessions", { cookie: first });
    expect(relisted.json.map((s: { token: string }) => s.token)).not.toContain(sessionToken(second));
  });

  it("does not let one user revoke another user's session", async () => {
    const victim = await signIn(server.url, alice.email, alice.password);
    const attacker = await signIn(server.url, other.email, other.password);
    await call(server.url, "/api/auth/revoke-session", { method: "POST", cookie: attacker, body: { token: sessionToken(victim) } });
    expect((await me(victim)).status).toBe(200);
    aliceCookie = victim;
  });

  it("ignores sign-out and session revocation sent from another site", async () => {
    expect((await me(aliceCookie)).status).toBe(200);
    const evil = "https://evil.example";
    const out = await call(server.url, "/api/auth/sign-out", { method: "POST", cookie: aliceCookie, origin: evil, body: {} });
    expect(out.status).toBe(403);
    const revoke = await call(server.url, "/api/auth/revoke-session", { method: "POST", cookie: aliceCookie, origin: evil, body: { token: sessionToken(aliceCookie) } });
    expect(revoke.status).toBe(403);
    expect((await me(aliceCookie)).status).toBe(200);
  });
});
