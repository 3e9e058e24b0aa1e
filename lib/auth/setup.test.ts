// Integration: first run on the real production server. The first visitor creates the owner
// through /setup (once, even when setups race), or ADMIN_EMAIL/ADMIN_PASSWORD create it at
// start-up (idempotently); /setup is closed afterwards.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { startAppServer, type AppServer } from "../testing/server";
import { call, newEmail, newPassword, signIn, trySignIn, type Reply } from "../testing/users";

const SETUP_FORM = "Create the owner account";

function expectRedirect(reply: Reply, baseUrl: string, path: string) {
  expect([303, 307, 308], `an HTTP redirect to ${path}, got ${reply.status}`).toContain(reply.status);
  expect(new URL(reply.headers.get("location") ?? "", baseUrl).pathname).toBe(path);
}

async function users(database: ScratchDatabase): Promise<{ id: string; email: string; role: string }[]> {
  return (await database.query("SELECT id, email, role FROM users ORDER BY created_at")).rows;
}

describe("first-run setup through /setup", () => {
  let database: ScratchDatabase;
  let server: AppServer;
  let owner: { email: string; password: string } | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase();
    server = await startAppServer({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it("sends visitors to /setup while there is no user", async () => {
    expectRedirect(await call(server.url, "/"), server.url, "/setup");
    expectRedirect(await call(server.url, "/sign-in"), server.url, "/setup");
    const setup = await call(server.url, "/setup");
    expect(setup.status).toBe(200);
    expect(setup.text).toContain(SETUP_FORM);
  });

  it("refuses a cross-site or invalid setup and stays open", async () => {
    const body = { name: "Mallory", email: newEmail("mallory"), password: newPassword() };
    const foreign = await call(server.url, "/api/setup", { method: "POST", body, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe("forbidden");
    const noOrigin = await call(server.url, "/api/setup", { method: "POST", body, origin: null });
    expect(noOrigin.status).toBe(403);
    const short = await call(server.url, "/api/setup", { method: "POST", body: { ...body, password: "short" } });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatchObject({ code: "bad_request", details: [expect.objectContaining({ path: "password" })] });
    expect(await users(database)).toEqual([]);
    expect((await database.query("SELECT key FROM app_settings WHERE key = 'setup_done'")).rows).toEqual([]);
    expect((await call(server.url, "/setup")).text).toContain(SETUP_FORM);
  });

  it("creates exactly one owner when setups race (one 201, the rest 409)", async () => {
    const candidates = Array.from({ length: 8 }, (_, i) => ({ name: `Candidate ${i}`, email: newEmail(`Owner${i}`), password: newPassword() }));
    const replies = await Promise.all(candidates.map((body) => call(server.url, "/api/setup", { method: "POST", body })));
    const created = replies.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expect(reply.status).toBe(409);
      expect(reply.json.error.code).toBe("conflict");
    }
    const winner = candidates[replies.indexOf(created[0]!)]!;
    expect(created[0]!.json.user).toEqual({
      id: expect.any(String),
      name: winner.name,
      email: winner.email.toLowerCase(),
      role: "owner",
      createdAt: expect.any(String),
    });
    expect(created[0]!.text).not.toContain(winner.password);
    expect(await users(database)).toEqual([{ id: created[0]!.json.user.id, email: winner.email.toLowerCase(), role: "owner" }]);
    owner = winner;
    await signIn(server.url, winner.email, winner.password);
  });

  it("answers 409 to a later setup and closes /setup", async () => {
    expect(owner).toBeDefined();
    const body = { name: "Late", email: newEmail("late"), password: newPassword() };
    const again = await call(server.url, "/api/setup", { method: "POST", body });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: { code: "conflict", message: expect.any(String), details: null } });
    expect((await trySignIn(server.url, body.email, body.password)).status).toBe(401);
    expect(await users(database)).toHaveLength(1);

    const setup = await call(server.url, "/setup");
    expect(setup.text).not.toContain(SETUP_FORM);
    expectRedirect(setup, server.url, "/sign-in");
    expectRedirect(await call(server.url, "/"), server.url, "/sign-in");
  });
});

describe("the owner from ADMIN_EMAIL and ADMIN_PASSWORD", () => {
  let database: ScratchDatabase;
  let server: AppServer | undefined;
  // Mixed case on purpose: a restart must still find the (lower-cased) account.
  const email = `Boss-${randomUUID().slice(0, 8)}@Example.test`;
  const password = newPassword();

  beforeAll(async () => {
    database = await createScratchDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const start = async (env: Record<string, string | undefined> = {}) => {
    await server?.stop();
    server = await startAppServer({ DATABASE_URL: database.url, ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ...env });
    return server;
  };

  it("creates the owner at start-up, who can sign in; /setup is closed", async () => {
    const app = await start();
    expect(await users(database)).toEqual([{ id: expect.any(String), email: email.toLowerCase(), role: "owner" }]);
    expect(app.output()).toContain("owner account created from ADMIN_EMAIL");
    const cookie = await signIn(app.url, email, password);
    expect((await call(app.url, "/api/me", { cookie })).json.principal).toMatchObject({ kind: "user", email: email.toLowerCase(), role: "owner" });

    const setup = await call(app.url, "/api/setup", { method: "POST", body: { name: "Other", email: newEmail("other"), password: newPassword() } });
    expect(setup.status).toBe(409);
    expect(setup.json.error.code).toBe("conflict");
    const page = await call(app.url, "/setup");
    expect(page.text).not.toContain(SETUP_FORM);
    expect(app.output()).not.toContain(password);
    expectRedirect(page, app.url, "/sign-in");
  });

  it("creates nothing new when restarted with the same env", async () => {
    const before = await users(database);
    expect(before).toHaveLength(1);
    const app = await start();
    expect(await users(database)).toEqual(before);
    expect((await database.query("SELECT count(*)::int AS n FROM auth_accounts")).rows[0].n).toBe(1);
    expect(app.output()).not.toContain("owner account created");
    expect(app.output()).not.toContain("no owner was created");
    await signIn(app.url, email.toLowerCase(), password);
    expect((await call(app.url, "/api/setup", { method: "POST", body: { name: "Other", email: newEmail("other"), password: newPassword() } })).status).toBe(409);
  });

  it("creates no second owner when ADMIN_EMAIL changes after users exist", async () => {
    const before = await users(database);
    const app = await start({ ADMIN_EMAIL: newEmail("second-boss") });
    expect(await users(database)).toEqual(before);
    expect(app.output()).toContain("ADMIN_EMAIL is set but users already exist");
  });
});
