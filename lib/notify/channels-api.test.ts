// Integration: the channels API on the real production server (whose delivery worker runs), with
// a local receiver standing in for a webhook endpoint.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTestServer, TEST_TOKEN } from "../testing/api-server";
import { delivery, postWebhook } from "../testing/deliveries";
import { startHttpReceiver, waitUntil, type HttpReceiver } from "../testing/receivers";
import { call, createApiToken } from "../testing/users";

const app = apiTestServer();
const admin = { token: TEST_TOKEN };
let viewer: { token: string };
let receiver: HttpReceiver;
let database: pg.Pool;

beforeAll(async () => {
  viewer = { token: (await createApiToken(app.url, admin, "viewer")).token };
  receiver = await startHttpReceiver();
  database = new pg.Pool({ connectionString: app.databaseUrl, max: 2 });
});

afterAll(async () => {
  await receiver?.close();
  await database?.end();
});

async function createWebhook(name = "Ops hook", url = `${receiver.url}?token=hidden-part`) {
  const reply = await call(app.url, "/api/channels", { method: "POST", ...admin, body: { type: "webhook", name, url } });
  expect(reply.status).toBe(201);
  return reply.json as { channel: any; secret: string };
}

describe("channels API", () => {
  it("creates a webhook channel with a secret shown once, lists it masked, and reveals the secret to admins only", async () => {
    const { channel, secret } = await createWebhook();
    expect(secret).toMatch(/^lsm_whsec_[A-Za-z0-9_-]{43}$/);
    expect(channel).toMatchObject({ name: "Ops hook", type: "webhook", target: receiver.url.replace("/hook", ""), failing: false, consecutiveFailures: 0 });

    const list = await call(app.url, "/api/channels", viewer);
    expect(list.status).toBe(200);
    expect(list.json.smtpProblem).toBe("SMTP_URL is not set");
    expect(list.json.channels.find((c: any) => c.id === channel.id)).toEqual(channel);
    expect(list.text).not.toContain("hidden-part");
    expect(list.text).not.toContain(secret);
    expect((await call(app.url, `/api/channels/${channel.id}`, viewer)).json).toEqual({ channel });

    expect((await call(app.url, `/api/channels/${channel.id}/secret`, { method: "POST", ...viewer })).status).toBe(403);
    const revealed = await call(app.url, `/api/channels/${channel.id}/secret`, { method: "POST", ...admin });
    expect(revealed.json).toEqual({ secret });
  });

  it("refuses bad input in the API's error shape, writes from viewers, and anonymous callers", async () => {
    const post = (body: unknown, auth: object = admin) => call(app.url, "/api/channels", { method: "POST", ...auth, body });
    const bad = [
      { type: "webhook", name: "x", url: "ftp://example.test/" },
      { type: "webhook", name: "x", url: "not a url" },
      { type: "slack", name: "", url: "https://hooks.slack.test/x" },
      { type: "email", name: "x", recipients: [] },
      { type: "email", name: "x", recipients: ["not-an-email"] },
      { type: "email", name: "x", url: "https://example.test" },
      { type: "sms", name: "x", url: "https://example.test" },
      { type: "webhook", name: "x", url: "https://user:pass@example.test/" },
    ];
    for (const body of bad) {
      const reply = await post(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json.error.code).toBe("bad_request");
    }
    expect((await post({ type: "slack", name: "x", url: "https://hooks.slack.test/x" }, viewer)).status).toBe(403);
    expect((await call(app.url, "/api/channels")).status).toBe(401);
    expect((await call(app.url, "/api/channels/nope", admin)).status).toBe(404);

    const email = await post({ type: "email", name: "Ops mail", recipients: ["a@example.test", "b@example.test"] });
    expect(email.status).toBe(201);
    expect(email.json.secret).toBeNull();
    expect(email.json.channel).toMatchObject({ target: "a@example.test, b@example.test", recipients: ["a@example.test", "b@example.test"] });
    const wrongField = await call(app.url, `/api/channels/${email.json.channel.id}`, { method: "PATCH", ...admin, body: { url: "https://example.test/" } });
    expect(wrongField.status).toBe(400);
    expect((await call(app.url, `/api/channels/${email.json.channel.id}/secret`, { method: "POST", ...admin })).status).toBe(400);
  });

  it("sends a test notification at once, signed, and logs it as a delivery with its attempt", async () => {
    const { channel, secret } = await createWebhook("Test me");
    receiver.secret = secret;
    receiver.mode = "ok";
    const before = receiver.received.length;
    const reply = await call(app.url, `/api/channels/${channel.id}/test`, { method: "POST", ...admin });
    expect(reply.status).toBe(200);
    expect(reply.json.result).toMatchObject({ ok: true, status: "delivered", statusCode: 200, error: null });
    const request = receiver.received[before]!;
    expect(request.signatureValid).toBe(true);
    expect(request.headers["lsm-delivery"]).toBe(reply.json.result.deliveryId);
    expect(request.path).toBe("/hook?token=hidden-part");
    expect(request.json).toMatchObject({ reason: "test", alert: null, url: `${app.url}/settings/channels` });
    const { rows } = await database.query(
      `SELECT d.reason, d.status, d.attempts, a.ok, a.status_code FROM notification_deliveries d JOIN notification_attempts a ON a.delivery_id = d.id WHERE d.id = $1`,
      [reply.json.result.deliveryId],
    );
    expect(rows).toEqual([{ reason: "test", status: "delivered", attempts: 1, ok: true, status_code: 200 }]);

    receiver.mode = "fail";
    const failed = await call(app.url, `/api/channels/${channel.id}/test`, { method: "POST", ...admin });
    expect(failed.json.result).toMatchObject({ ok: false, status: "failed", statusCode: 500, error: "HTTP 500: receiver says no" });
    const view = (await call(app.url, `/api/channels/${channel.id}`, viewer)).json.channel;
    expect(view).toMatchObject({ consecutiveFailures: 1, lastError: "HTTP 500: receiver says no", failing: false });
    expect((await call(app.url, `/api/channels/${channel.id}/test`, { method: "POST", ...viewer })).status).toBe(403);
  });

  it("delivers what the evaluator queues through the server's worker", async () => {
    const { channel, secret } = await createWebhook("Queued");
    receiver.secret = secret;
    receiver.mode = "ok";
    const { rows } = await database.query<{ id: string }>(
      `INSERT INTO notification_deliveries (channel_id, reason, payload) VALUES ($1, 'fired', $2::jsonb) RETURNING id::text`,
      [channel.id, JSON.stringify({ reason: "fired", alert: null, url: "http://x.test", summary: "queued", sentAt: new Date().toISOString() })],
    );
    await waitUntil(() => receiver.received.some((r) => r.headers["lsm-delivery"] === rows[0]!.id), "the queued delivery");
    await waitUntil(
      async () => (await database.query("SELECT 1 FROM notification_deliveries WHERE id = $1 AND status = 'delivered'", [rows[0]!.id])).rowCount === 1,
      "the delivery to be recorded",
    );
  });

  it("sends a fired alert from the evaluator to the rule's channel, signed", async () => {
    const { channel, secret } = await createWebhook("Alerts");
    receiver.secret = secret;
    receiver.mode = "ok";
    const ruleId = randomUUID();
    await database.query("INSERT INTO websites (id, name) VALUES ('notify-site', 'Notify shop')");
    await database.query("INSERT INTO alert_rules (id, website_id, name, condition) VALUES ($1, 'notify-site', 'New errors', 'new_issue')", [ruleId]);
    await database.query("INSERT INTO alert_rule_channels (rule_id, channel_id) VALUES ($1, $2)", [ruleId, channel.id]);
    const { body } = delivery("js-error", (d) => {
      d.website_id = "notify-site";
      d.payload.value = "Notify: a brand new error";
    });
    expect((await postWebhook(app.url, body)).status).toBe(200);
    const fired = () => receiver.received.find((r) => r.json?.reason === "fired" && r.json?.alert?.ruleId === ruleId);
    await waitUntil(() => fired() !== undefined, "the fired notification", 15_000);
    const request = fired()!;
    expect(request.signatureValid).toBe(true);
    expect(request.json.alert).toMatchObject({ ruleName: "New errors", websiteName: "Notify shop", state: "firing" });
    expect(request.json.url).toBe(`${app.url}/alerts/${request.json.alert.id}`);
  });

  it("renames, retargets and deletes a channel", async () => {
    const { channel } = await createWebhook("Old name");
    const renamed = await call(app.url, `/api/channels/${channel.id}`, {
      method: "PATCH",
      ...admin,
      body: { name: "New name", url: "https://hooks.example.test/elsewhere?key=abc" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.channel).toMatchObject({ name: "New name", target: "https://hooks.example.test" });
    expect((await call(app.url, `/api/channels/${channel.id}`, { method: "PATCH", ...admin, body: {} })).status).toBe(400);
    expect((await call(app.url, `/api/channels/${channel.id}`, { method: "DELETE", ...viewer })).status).toBe(403);
    expect((await call(app.url, `/api/channels/${channel.id}`, { method: "DELETE", ...admin })).status).toBe(204);
    expect((await call(app.url, `/api/channels/${channel.id}`, admin)).status).toBe(404);
    expect((await call(app.url, `/api/channels/${channel.id}`, { method: "DELETE", ...admin })).status).toBe(404);
  });
});
