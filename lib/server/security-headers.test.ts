// Integration: response hardening on the real production server. Pages get a nonce-based CSP
// (fresh per request, on every script), every response gets nosniff and friends, JSON API
// bodies are limited and typed, and no secret used here shows up in a response or a log line.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../livesession/signature";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import { call, createApiToken, invite, newEmail, newPassword, setupOwner, signIn, type Reply, type RequestOptions } from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;
const WEBHOOK_SECRET = `webhook-secret-${randomUUID()}`;

let database: ScratchDatabase;
let server: AppServer;
let cookie: string;
/** Passwords, tokens and webhook secrets used in this file. */
const secrets: string[] = [ADMIN_API_TOKEN, WEBHOOK_SECRET];
/** Every response body the tests got, except the ones that reveal a new secret once. */
const bodies: { what: string; text: string }[] = [];

/** call(), remembering the body for the leak check (unless it is the one-time reveal). */
async function send(path: string, options: RequestOptions = {}, reveals = false): Promise<Reply> {
  const reply = await call(server.url, path, options);
  if (!reveals) bodies.push({ what: `${options.method ?? "GET"} ${path} → ${reply.status}`, text: reply.text });
  return reply;
}

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN, LIVESESSION_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const owner = await setupOwner(server.url);
  secrets.push(owner.password);
  cookie = await signIn(server.url, owner.email, owner.password);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const logLinesWith = (secret: string) => server.output().split("\n").filter((line) => line.includes(secret));

function nonceOf(reply: Reply): string {
  const policy = reply.headers.get("content-security-policy") ?? "";
  const match = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy);
  expect(match, policy).not.toBeNull();
  return match![1]!;
}

function expectBaseHeaders(reply: Reply) {
  expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
  expect(reply.headers.get("referrer-policy")).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
}

function expectJsonError(reply: Reply, status: number, codes: string[]) {
  expect(reply.status, reply.text.slice(0, 200)).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(reply.json)).toEqual(["error"]);
  expect(Object.keys(reply.json.error).sort()).toEqual(["code", "details", "message"]);
  expect(codes).toContain(reply.json.error.code);
  expect(reply.json.error.message).toEqual(expect.any(String));
}

describe("pages", () => {
  it.each([
    ["the dashboard (signed in)", "/", true],
    ["the sign-in page", "/sign-in", false],
  ] as const)("%s carries a nonce-based CSP with a fresh nonce per request, on every script", async (_, path, signedIn) => {
    const first = await send(path, signedIn ? { cookie } : {});
    const second = await send(path, signedIn ? { cookie } : {});
    for (const reply of [first, second]) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^text\/html/);
      expectBaseHeaders(reply);
      const policy = reply.headers.get("content-security-policy")!;
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toMatch(/(^|; )object-src 'none'/);
      expect(policy).toMatch(/(^|; )base-uri 'self'/);
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      const nonce = nonceOf(reply);
      expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
      const scripts = reply.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonceOf(first)).not.toBe(nonceOf(second));
  });
});

describe("JSON responses", () => {
  it("webhook and health responses carry nosniff", async () => {
    const { body } = delivery("js-error");
    const stored = await send("/api/webhooks/livesession", {
      method: "POST",
      body,
      origin: null,
      headers: { "content-type": "application/json", "livesession-signature": signBody(body, WEBHOOK_SECRET) },
    });
    expect(stored.status).toBe(200);
    const unsigned = await send("/api/webhooks/livesession", { method: "POST", body, origin: null, headers: { "content-type": "application/json" } });
    expect(unsigned.status).toBe(401);
    const health = await send("/api/health");
    expect(health.status).toBe(200);
    for (const reply of [stored, unsigned, health]) {
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
      expectBaseHeaders(reply);
    }
  });

  it("API responses carry nosniff", async () => {
    for (const reply of [await send("/api/websites", { cookie }), await send("/api/websites")]) {
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
      expectBaseHeaders(reply);
    }
  });
});

describe("JSON API request bodies", () => {
  const asAdmin = { token: ADMIN_API_TOKEN, origin: null } as const;
  const websiteCount = async () => (await database.query("SELECT count(*)::int AS n FROM websites")).rows[0].n as number;
  const tooBig = () => JSON.stringify({ id: `site-${randomUUID()}`, name: "x".repeat(64 * 1024) });

  it("answers 413 to a body over 64 KiB (with or without content-length)", async () => {
    const before = await websiteCount();
    const sized = await send("/api/websites", { method: "POST", ...asAdmin, body: tooBig(), headers: { "content-type": "application/json" } });
    expectJsonError(sized, 413, ["payload_too_large"]);

    const chunks = [new TextEncoder().encode(tooBig())];
    const streamed = await fetch(`${server.url}/api/websites`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, "content-type": "application/json" },
      body: new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    const text = await streamed.text();
    bodies.push({ what: "streamed 413", text });
    expectJsonError({ status: streamed.status, json: JSON.parse(text), text, headers: streamed.headers }, 413, ["payload_too_large"]);

    const signInBody = JSON.stringify({ email: newEmail(), password: newPassword(), padding: "x".repeat(64 * 1024) });
    const signIn413 = await send("/api/auth/sign-in/email", { method: "POST", body: signInBody, headers: { "content-type": "application/json" } });
    expectJsonError(signIn413, 413, ["payload_too_large"]);
    const setup413 = await send("/api/setup", { method: "POST", body: tooBig(), headers: { "content-type": "application/json" } });
    expectJsonError(setup413, 413, ["payload_too_large"]);
    expect(await websiteCount()).toBe(before);
  });

  it("answers 415 to a body that is not JSON", async () => {
    const before = await websiteCount();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const reply = await send("/api/websites", { method: "POST", ...asAdmin, body: JSON.stringify({ id: `site-${randomUUID()}` }), headers: { "content-type": type } });
      expectJsonError(reply, 415, ["unsupported_media_type"]);
    }
    const missing = await send("/api/websites", { method: "POST", ...asAdmin, body: new TextEncoder().encode(JSON.stringify({ id: `site-${randomUUID()}` })) });
    expectJsonError(missing, 415, ["unsupported_media_type"]);
    expect(await websiteCount()).toBe(before);
  });

  it("answers 400 to malformed JSON", async () => {
    for (const body of ['{"id": ', "not json", '{"id":"a"}}']) {
      const reply = await send("/api/websites", { method: "POST", ...asAdmin, body, headers: { "content-type": "application/json" } });
      expectJsonError(reply, 400, ["bad_request", "invalid_json"]);
    }
    const password = newPassword();
    secrets.push(password);
    const setup = await send("/api/setup", { method: "POST", body: `{"name":"x","email":"a@example.test","password":"${password}"`, headers: { "content-type": "application/json" } });
    expectJsonError(setup, 400, ["bad_request", "invalid_json"]);
    expect(setup.text).not.toContain(password);
  });
});

describe("request paths", () => {
  it("answers 400 in the JSON error shape to a path with a bad percent-escape, on pages and APIs", async () => {
    for (const path of ["/visitors/%E0%A4%A", "/issues/%E0%A4%A", "/api/visitors/%E0%A4%A", "/urls/100%"]) {
      expectJsonError(await send(path, { cookie }), 400, ["bad_request"]);
    }
    // A well-formed escape still reaches the page (an unknown visitor, or no website yet).
    expect([200, 404]).toContain((await send("/visitors/%E0%A4%A4", { cookie })).status);
  });
});

describe("secrets stay out of responses and logs", () => {
  it("exercises the flows that handle passwords, tokens and webhook secrets", async () => {
    const wrong = newPassword();
    secrets.push(wrong);
    const failed = await send("/api/auth/sign-in/email", { method: "POST", body: { email: newEmail("nobody"), password: wrong } });
    expect(failed.status).toBe(401);

    const token = await createApiToken(server.url, { cookie }, "viewer");
    secrets.push(token.token);
    expect((await send("/api/events", { token: token.token })).status).toBe(200);
    expect((await send("/api/tokens", { cookie })).status).toBe(200);
    expect((await send("/api/tokens", { token: token.token })).status).toBe(403);

    const site = `site-${randomUUID()}`;
    expect((await send("/api/websites", { method: "POST", cookie, body: { id: site } })).status).toBe(201);
    const rotated = await send(`/api/websites/${site}/secret`, { method: "POST", cookie }, true);
    secrets.push(rotated.json.secret);
    const { body } = delivery("js-error", (d) => (d.website_id = site));
    const signed = await send("/api/webhooks/livesession", {
      method: "POST",
      body,
      origin: null,
      headers: { "content-type": "application/json", "livesession-signature": signBody(body, rotated.json.secret) },
    });
    expect(signed.status).toBe(200);
    expect((await send("/api/websites", { cookie })).status).toBe(200);

    const password = newPassword();
    secrets.push(password);
    const invitation = await invite(server.url, { cookie }, "member");
    const accepted = await send("/api/invitations/accept", { method: "POST", body: { token: invitation, name: "New", email: newEmail("new"), password } });
    expect(accepted.status).toBe(201);
    expect((await send("/api/members", { cookie })).status).toBe(200);
    expect((await send("/", { cookie })).status).toBe(200);
  });

  it("never puts them in a response body", () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      for (const { what, text } of bodies) expect(text, what).not.toContain(secret);
    }
  });

  it("never puts them in a server log line", async () => {
    // Log lines are written when responses finish, which may be just after the client has them.
    await expect.poll(() => server.output()).toContain('"route":"/api/invitations/accept"');
    for (const secret of secrets) expect(logLinesWith(secret)).toEqual([]);
  });

  it("keeps invitation links (a credential until used) out of the log", async () => {
    const token = await invite(server.url, { cookie }, "admin");
    // What the invitation page does: describe the link, then show the page.
    expect((await send(`/api/invitations/${token}`)).status).toBe(200);
    await send(`/invite/${token}`);
    await expect.poll(() => server.output()).toContain('"route":"/invite/');
    expect(logLinesWith(token)).toEqual([]);
  });
});
