// Integration: the webhook route of the real production server against a real PostgreSQL.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, FIXTURES, postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";
import { signBody } from "./signature";

const SECRET = "test-secret-for-signatures";

let database: ScratchDatabase;
let server: AppServer;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, LIVESESSION_WEBHOOK_SECRET: undefined });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await database.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0].n;
}

describe("POST /api/webhooks/livesession", () => {
  it("stores each documented kind with its fields and answers 200 only after commit", async () => {
    for (const name of FIXTURES) {
      const { body, messageId } = delivery(name);
      const response = await postWebhook(server.url, body);
      expect(response).toEqual({ status: 200, json: { status: "stored", messageId } });
      expect(await count("events WHERE message_id = $1", [messageId])).toBe(1);
    }
    const { rows } = await database.query(
      "SELECT kind, message, count, method, url, url_template, status, clicks, name, properties, occurred_at FROM events ORDER BY id",
    );
    expect(rows.map((r) => r.kind)).toEqual(["JSError", "NetError", "ErrorClick", "RageClick", "Custom"]);
    expect(rows[0]).toMatchObject({ message: "ProductCatalog: product is not valid", count: 1 });
    expect(rows[1]).toMatchObject({ method: "GET", url: "https://api.livesession.io/products/1", url_template: "https://api.livesession.io/products/:id", status: 500 });
    expect(rows[2]).toMatchObject({ message: "product is not defined" });
    expect(rows[3]).toMatchObject({ clicks: 5 });
    expect(rows[4]).toMatchObject({ name: "Product added", properties: { product_id_int: 1, product_name_str: "Product 1" } });
    for (const row of rows) expect(row.occurred_at.toISOString()).toBe("2023-08-04T15:11:21.000Z");
  });

  it("keeps the raw delivery and the visitor, website and account", async () => {
    const { body, messageId } = delivery("js-error", (d) => {
      d.website_id = "site-raw";
      d.account_id = "acct-raw";
      d.payload.extra_field = { nested: [1, "two"] };
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
    const { rows } = await database.query("SELECT raw, time_raw FROM events WHERE message_id = $1", [messageId]);
    expect(rows[0].raw).toEqual(JSON.parse(body));
    expect(rows[0].time_raw).toBe("16911618810");
    expect(await count("websites WHERE id = 'site-raw' AND account_id = 'acct-raw'")).toBe(1);
    expect(await count("accounts WHERE id = 'acct-raw'")).toBe(1);
    const visitor = await database.query("SELECT * FROM visitors WHERE website_id = 'site-raw'");
    expect(visitor.rows[0]).toMatchObject({
      id: "e4d5932d-4439-4546-a8da-a8d40bc053c6",
      name: "John Doe",
      email: "john.doe@livesession.io",
      params: [{ name: "plan", value: "pro" }],
      country_code: "PL",
      city: "Wroclaw",
      region: "Dolnoslaskie",
      event_count: 1,
    });
  });

  it("stores an unknown event_name as its own kind", async () => {
    const { body, messageId } = delivery("js-error", (d) => {
      d.payload = { event_name: "PageCrash", reason: "OOM", visitor: d.payload.visitor, time: d.payload.time };
    });
    expect((await postWebhook(server.url, body)).json).toEqual({ status: "stored", messageId });
    const { rows } = await database.query("SELECT e.kind, i.title FROM events e JOIN issues i ON i.id = e.issue_id WHERE message_id = $1", [messageId]);
    expect(rows[0]).toEqual({ kind: "PageCrash", title: "PageCrash" });
  });

  it("records custom properties that break their suffix convention without rejecting them", async () => {
    const { body, messageId } = delivery("custom", (d) => {
      d.payload.properties = { price_float: "cheap", qty_int: 2, color: "red", ok_bool: true };
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
    const { rows } = await database.query("SELECT properties, property_errors FROM events WHERE message_id = $1", [messageId]);
    expect(rows[0].properties).toEqual({ price_float: "cheap", qty_int: 2, color: "red", ok_bool: true });
    expect(rows[0].property_errors).toEqual([
      { key: "price_float", problem: "type_mismatch", expected: "float", actual: "string" },
      { key: "color", problem: "unsuffixed" },
    ]);
  });

  it("stores a message_id once when the same delivery arrives 20 times concurrently", async () => {
    const { body, messageId } = delivery("net-error", (d) => {
      d.website_id = "site-dup";
    });
    const responses = await Promise.all(Array.from({ length: 20 }, () => postWebhook(server.url, body)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.filter((r) => r.json.status === "stored")).toHaveLength(1);
    expect(responses.filter((r) => r.json.status === "duplicate")).toHaveLength(19);
    expect(await count("events WHERE message_id = $1", [messageId])).toBe(1);
    const { rows } = await database.query("SELECT event_count, visitor_count FROM issues WHERE website_id = 'site-dup'");
    expect(rows).toEqual([{ event_count: 1, visitor_count: 1 }]);
    expect(await count("visitors WHERE website_id = 'site-dup' AND event_count = 1")).toBe(1);
  });

  it("groups events into issues with counts, distinct visitors and first/last seen", async () => {
    const site = `site-${randomUUID()}`;
    const sends = [
      ["Cannot read 'price' of user 12", "v1", 1691161881],
      ["Cannot read 'id' of user 9981", "v2", 1691161900],
      ["Cannot read 'price' of user 7", "v1", 1691161800],
      ["Something else entirely", "v1", 1691161881],
    ] as const;
    await Promise.all(
      sends.map(([message, visitor, createdAt]) =>
        postWebhook(
          server.url,
          delivery("js-error", (d) => {
            d.website_id = site;
            d.created_at = createdAt;
            d.payload.time = createdAt * 1000;
            d.payload.value = message;
            d.payload.visitor.id = visitor;
          }).body,
        ),
      ),
    );
    const { rows } = await database.query(
      "SELECT event_count, visitor_count, first_seen, last_seen FROM issues WHERE website_id = $1 ORDER BY event_count DESC",
      [site],
    );
    expect(rows).toEqual([
      { event_count: 3, visitor_count: 2, first_seen: new Date(1691161800_000), last_seen: new Date(1691161900_000) },
      { event_count: 1, visitor_count: 1, first_seen: new Date(1691161881_000), last_seen: new Date(1691161881_000) },
    ]);
  });

  it("answers 400 in the JSON error shape and keeps the rejected delivery", async () => {
    const before = await count("rejected_deliveries");
    const malformed = await postWebhook(server.url, '{"message_id": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "invalid_json", details: null });
    expect(malformed.json.error.message).toMatch(/Malformed JSON/);

    const cases: [string, (d: Record<string, any>) => void][] = [
      ["message_id", (d) => delete d.message_id],
      ["website_id", (d) => delete d.website_id],
      ["payload.event_name", (d) => delete d.payload.event_name],
      ["payload.visitor.id", (d) => delete d.payload.visitor.id],
      ["payload.status", (d) => (d.payload.status = "five hundred")],
    ];
    for (const [path, change] of cases) {
      const response = await postWebhook(server.url, delivery("net-error", change).body);
      expect(response.status, path).toBe(400);
      expect(response.json.error.code).toBe("invalid_payload");
      expect(response.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await count("rejected_deliveries")).toBe(before + 1 + cases.length);
    const { rows } = await database.query("SELECT reason, convert_from(body, 'UTF8') AS body FROM rejected_deliveries ORDER BY id LIMIT 1 OFFSET $1", [before]);
    expect(rows[0]).toEqual({ reason: expect.stringMatching(/Malformed JSON/), body: '{"message_id": ' });
  });

  it("keeps a delivery refused for a NUL or an unpaired surrogate, its reason made storable", async () => {
    const before = await count("rejected_deliveries");
    const bodies = [
      delivery("custom", (d) => (d.payload.properties["bad\u0000key_str"] = "x")).body,
      delivery("custom", (d) => (d.payload.properties["half\uD800_str"] = "x")).body,
      // Not looked up as a website (its secrets) either: PostgreSQL cannot compare it.
      delivery("custom", (d) => (d.website_id = "site\u0000")).body,
    ];
    for (const body of bodies) {
      const response = await postWebhook(server.url, body);
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe("invalid_payload");
    }
    const { rows } = await database.query("SELECT reason, details, body FROM rejected_deliveries ORDER BY id OFFSET $1", [before]);
    expect(rows.map((r) => r.reason)).toEqual([
      "Invalid delivery: payload.properties.bad\uFFFDkey_str: contains a NUL character",
      "Invalid delivery: payload.properties.half\uFFFD_str: contains an unpaired UTF-16 surrogate",
      "Invalid delivery: website_id: contains a NUL character",
    ]);
    expect(rows[0].details).toEqual([{ path: "payload.properties.bad\uFFFDkey_str", message: expect.stringContaining("NUL") }]);
    expect(rows.map((r) => r.body.toString())).toEqual(bodies);
  });

  it("answers 413 above 1 MiB and 415 for a non-JSON content type, storing nothing", async () => {
    const before = await count("events");
    const huge = delivery("js-error", (d) => (d.payload.value = "x".repeat(1024 * 1024))).body;
    const tooLarge = await postWebhook(server.url, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.code).toBe("payload_too_large");
    const wrongType = await postWebhook(server.url, delivery("js-error").body, { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json.error.code).toBe("unsupported_media_type");
    expect(await count("events")).toBe(before);
  });

  it("logs one structured line per request without the payload", async () => {
    const secretValue = `visitor-secret-${randomUUID()}`;
    const webhookLines = () => server.output().split("\n").filter((l) => l.includes('"route":"/api/webhooks/livesession"'));
    const before = webhookLines().length;
    await postWebhook(server.url, delivery("js-error", (d) => (d.payload.value = secretValue)).body);
    // A line is written when its response finishes, which may be just after the client has it.
    const logged200 = () => webhookLines().slice(before).map((l) => JSON.parse(l)).find((l) => l.status === 200);
    await expect.poll(logged200).toMatchObject({ method: "POST", status: 200, ms: expect.any(Number) });
    expect(server.output()).not.toContain(secretValue);
    expect(server.output()).toContain("LIVESESSION_WEBHOOK_SECRET is not set");
  });
});

describe("signed webhooks", () => {
  let signed: AppServer;
  beforeAll(async () => {
    signed = await startAppServer({ DATABASE_URL: database.url, LIVESESSION_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await signed?.stop();
  });

  it("requires a valid LiveSession-Signature when a secret is set", async () => {
    const { body, messageId } = delivery("rage-click");
    const headers = (signature?: string) => ({
      "content-type": "application/json",
      ...(signature ? { "livesession-signature": signature } : {}),
    });
    const missing = await postWebhook(signed.url, body, headers());
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("unauthorized");
    expect((await postWebhook(signed.url, body, headers(signBody(body, "wrong-secret")))).status).toBe(401);
    expect((await postWebhook(signed.url, body, headers("not base64 at all"))).status).toBe(401);
    expect((await postWebhook(signed.url, `${body} `, headers(signBody(body, SECRET)))).status).toBe(401);
    expect(await count("events WHERE message_id = $1", [messageId])).toBe(0);

    const ok = await postWebhook(signed.url, body, headers(signBody(body, SECRET)));
    expect(ok).toEqual({ status: 200, json: { status: "stored", messageId } });
    expect(signed.output()).not.toContain(SECRET);
    expect(signed.output()).not.toContain("LIVESESSION_WEBHOOK_SECRET is not set");
  });
});

describe("GET /api/health", () => {
  it("answers ok when the database answers", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
