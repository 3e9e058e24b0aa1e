// Integration: websites and their own webhook secrets on the real production server. Rotation
// shows a secret once and stores it encrypted; deliveries must be signed with a current secret
// (or one in its grace period); websites without their own secret use LIVESESSION_WEBHOOK_SECRET.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../livesession/signature";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import { addUser, call, createApiToken, signIn, setupOwner, type RequestOptions } from "../testing/users";

const ADMIN_API_TOKEN = `admin-api-token-${randomUUID()}`;
const FALLBACK_SECRET = `fallback-secret-${randomUUID()}`;

let database: ScratchDatabase;
/** Default grace period, with LIVESESSION_WEBHOOK_SECRET. */
let server: AppServer;
/** WEBHOOK_SECRET_GRACE_HOURS=0, without LIVESESSION_WEBHOOK_SECRET; same database. */
let noGrace: AppServer;
let admin: RequestOptions;
/** Every secret the tests saw, to check the logs. */
const seen: string[] = [FALLBACK_SECRET];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN, LIVESESSION_WEBHOOK_SECRET: FALLBACK_SECRET });
  noGrace = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN, WEBHOOK_SECRET_GRACE_HOURS: "0" });
  await setupOwner(server.url);
  const user = await addUser(server.url, { token: ADMIN_API_TOKEN }, "admin");
  admin = { cookie: await signIn(server.url, user.email, user.password) };
});

afterAll(async () => {
  await noGrace?.stop();
  await server?.stop();
  await database?.drop();
});

const newSiteId = () => `site-${randomUUID()}`;

async function addWebsite(app: AppServer, as: RequestOptions, id = newSiteId()): Promise<string> {
  const reply = await call(app.url, "/api/websites", { method: "POST", ...as, body: { id, name: `Site ${id}` } });
  expect(reply.status, reply.text).toBe(201);
  return id;
}

async function rotate(app: AppServer, as: RequestOptions, id: string): Promise<{ secret: string; website: any }> {
  const reply = await call(app.url, `/api/websites/${id}/secret`, { method: "POST", ...as });
  expect(reply.status, reply.text).toBe(200);
  seen.push(reply.json.secret);
  return reply.json;
}

/** A fresh delivery for `websiteId`, signed with `secret` (unsigned when null). */
async function deliver(app: AppServer, websiteId: string, secret: string | null) {
  const { body, messageId } = delivery("js-error", (d) => (d.website_id = websiteId));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["livesession-signature"] = signBody(body, secret);
  const reply = await postWebhook(app.url, body, headers);
  return { ...reply, messageId };
}

async function website(id: string) {
  const reply = await call(server.url, "/api/websites", admin);
  expect(reply.status).toBe(200);
  return reply.json.websites.find((w: { id: string }) => w.id === id);
}

async function stored(messageId: string): Promise<boolean> {
  return (await database.query("SELECT 1 FROM events WHERE message_id = $1", [messageId])).rows.length === 1;
}

const randomSecret = () => randomBytes(32).toString("base64url");

describe("websites", () => {
  it("lets an admin add a website by its LiveSession id", async () => {
    const id = newSiteId();
    const reply = await call(server.url, "/api/websites", { method: "POST", ...admin, body: { id, name: "  Shop  " } });
    expect(reply.status).toBe(201);
    expect(reply.json.website).toMatchObject({
      id,
      name: "Shop",
      hasSecret: false,
      secretCreatedAt: null,
      previousSecretRetiresAt: null,
      signatureFailures: 0,
      webhookUrl: `${server.url}/api/webhooks/livesession`,
    });
    expect(await website(id)).toEqual(reply.json.website);
    const again = await call(server.url, "/api/websites", { method: "POST", ...admin, body: { id } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
    const bad = await call(server.url, "/api/websites", { method: "POST", ...admin, body: { id: "no spaces/allowed" } });
    expect(bad.status).toBe(400);
  });

  it("shows a rotated secret once, never lists it, and stores it encrypted", async () => {
    const id = await addWebsite(server, admin);
    const { secret, website: view } = await rotate(server, admin, id);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(view).toMatchObject({ id, hasSecret: true, secretCreatedAt: expect.any(String), previousSecretRetiresAt: null });

    const list = await call(server.url, "/api/websites", admin);
    expect(list.text).not.toContain(secret);
    expect(list.json.websites.find((w: { id: string }) => w.id === id)).toMatchObject({ hasSecret: true });
    expect(list.json.websites.find((w: { id: string }) => w.id === id)).not.toHaveProperty("secret");

    const { rows } = await database.query("SELECT secret FROM website_secrets WHERE website_id = $1", [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].secret).not.toBe(secret);
    expect(rows[0].secret).not.toContain(secret);
    expect(rows[0].secret).not.toContain(Buffer.from(secret).toString("base64url"));
    const anywhere = await database.query("SELECT count(*)::int AS n FROM website_secrets s WHERE row_to_json(s)::text LIKE '%' || $1 || '%'", [secret]);
    expect(anywhere.rows[0].n).toBe(0);

    const unknown = await call(server.url, `/api/websites/${newSiteId()}/secret`, { method: "POST", ...admin });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
  });

  it("lets only admins rotate a secret", async () => {
    const id = await addWebsite(server, admin);
    const viewer = await createApiToken(server.url, { token: ADMIN_API_TOKEN }, "viewer");
    const member = await createApiToken(server.url, { token: ADMIN_API_TOKEN }, "member");
    for (const token of [viewer.token, member.token]) {
      const reply = await call(server.url, `/api/websites/${id}/secret`, { method: "POST", token });
      expect(reply.status).toBe(403);
      expect(reply.text).not.toMatch(/"secret"/);
    }
    expect((await call(server.url, `/api/websites/${id}/secret`, { method: "POST" })).status).toBe(401);
    expect((await database.query("SELECT count(*)::int AS n FROM website_secrets WHERE website_id = $1", [id])).rows[0].n).toBe(0);
  });

  it("needs a delivery signed with the website's secret; refusals are counted", async () => {
    const id = await addWebsite(server, admin);
    // Without its own secret the website uses the default one (and that answer gets cached) ...
    expect((await deliver(server, id, FALLBACK_SECRET)).status).toBe(200);
    // ... until the rotation, which the rotating instance sees at once.
    const { secret } = await rotate(server, admin, id);

    const good = await deliver(server, id, secret);
    expect(good.json).toEqual({ status: "stored", messageId: good.messageId });
    expect(await stored(good.messageId)).toBe(true);

    const refused = [await deliver(server, id, null), await deliver(server, id, randomSecret()), await deliver(server, id, FALLBACK_SECRET)];
    for (const reply of refused) {
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: { code: "unauthorized", message: expect.any(String), details: null } });
      expect(await stored(reply.messageId)).toBe(false);
    }
    const view = await website(id);
    expect(view.signatureFailures).toBe(3);
    expect(Date.now() - Date.parse(view.lastSignatureFailureAt)).toBeLessThan(60_000);
  });

  it("accepts both the old and the new secret after a second rotation (grace period)", async () => {
    const id = await addWebsite(server, admin);
    const first = await rotate(server, admin, id);
    expect((await deliver(server, id, first.secret)).status).toBe(200);
    const second = await rotate(server, admin, id);
    expect(second.secret).not.toBe(first.secret);
    const retires = Date.parse(second.website.previousSecretRetiresAt);
    expect(Math.abs(retires - (Date.now() + 24 * 60 * 60 * 1000))).toBeLessThan(60_000);

    expect((await deliver(server, id, second.secret)).status).toBe(200);
    expect((await deliver(server, id, first.secret)).status).toBe(200);
    expect((await deliver(server, id, randomSecret())).status).toBe(401);
    expect((await deliver(server, id, FALLBACK_SECRET)).status).toBe(401);
    expect((await website(id)).signatureFailures).toBe(2);
  });

  it("refuses the old secret right after rotation with WEBHOOK_SECRET_GRACE_HOURS=0", async () => {
    const id = await addWebsite(noGrace, { token: ADMIN_API_TOKEN });
    const first = await rotate(noGrace, { token: ADMIN_API_TOKEN }, id);
    expect((await deliver(noGrace, id, first.secret)).status).toBe(200);
    const second = await rotate(noGrace, { token: ADMIN_API_TOKEN }, id);
    expect(second.website.previousSecretRetiresAt).toBeNull();

    expect((await deliver(noGrace, id, first.secret)).status).toBe(401);
    expect((await deliver(noGrace, id, second.secret)).status).toBe(200);
    // A website with its own secret needs it even where no default secret is set.
    expect((await deliver(noGrace, id, null)).status).toBe(401);
  });

  it("falls back to LIVESESSION_WEBHOOK_SECRET for a website without its own secret", async () => {
    const added = await addWebsite(server, admin);
    for (const id of [added, newSiteId()]) {
      const signed = await deliver(server, id, FALLBACK_SECRET);
      expect(signed.json).toEqual({ status: "stored", messageId: signed.messageId });
      expect((await deliver(server, id, null)).status).toBe(401);
      expect((await deliver(server, id, randomSecret())).status).toBe(401);
    }
    expect((await website(added)).signatureFailures).toBe(2);
    // Without a default secret, such a website's deliveries are accepted unsigned.
    expect((await deliver(noGrace, newSiteId(), null)).status).toBe(200);
  });

  it("never writes a webhook secret to the server logs", () => {
    expect(seen.length).toBeGreaterThan(5);
    for (const secret of seen) {
      expect(server.output()).not.toContain(secret);
      expect(noGrace.output()).not.toContain(secret);
    }
  });
});
