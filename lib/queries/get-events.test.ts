// Integration: GET /api/events on the real server, with filters and cursor pagination.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook, type FixtureName } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

let database: ScratchDatabase;
let server: AppServer;
const BASE = 1_760_000_000; // a fixed created_at, so occurredAt is predictable
const TOKEN = "test-admin-token-0123456789abcdef";

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  const kinds: FixtureName[] = ["js-error", "net-error", "error-click", "rage-click", "custom"];
  // 25 events: 5 per kind, one second apart, on two websites and two visitors.
  for (let i = 0; i < 25; i++) {
    const { body } = delivery(kinds[i % 5]!, (d) => {
      d.message_id = `msg-${String(i).padStart(2, "0")}`;
      d.website_id = i % 2 === 0 ? "site-a" : "site-b";
      d.created_at = BASE + i;
      d.payload.time = (BASE + i) * 1000;
      d.payload.visitor.id = i < 10 ? "visitor-1" : "visitor-2";
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function get(query: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}/api/events${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, json: await response.json() };
}

describe("GET /api/events", () => {
  it("returns events newest first with each kind's fields", async () => {
    const { status, json } = await get("?limit=5");
    expect(status).toBe(200);
    expect(json.events.map((e: { messageId: string }) => e.messageId)).toEqual(["msg-24", "msg-23", "msg-22", "msg-21", "msg-20"]);
    const [custom, rage, click, net, js] = json.events;
    expect(custom).toMatchObject({ kind: "Custom", name: "Product added", properties: { product_id_int: 1, product_name_str: "Product 1" }, propertyErrors: [] });
    expect(rage).toMatchObject({ kind: "RageClick", clicks: 5 });
    expect(click).toMatchObject({ kind: "ErrorClick", message: "product is not defined" });
    expect(net).toMatchObject({ kind: "NetError", method: "GET", url: "https://api.livesession.io/products/1", status: 500 });
    expect(js).toMatchObject({
      messageId: "msg-20",
      websiteId: "site-a",
      kind: "JSError",
      occurredAt: new Date((BASE + 20) * 1000).toISOString(),
      visitorId: "visitor-2",
      issueId: expect.stringMatching(/^-?\d+$/),
      value: "ProductCatalog: product is not valid",
      count: 1,
    });
  });

  it("pages through everything with nextCursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { json }: { json: any } = await get(`?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...json.events.map((e: { messageId: string }) => e.messageId));
      cursor = json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `msg-${String(24 - i).padStart(2, "0")}`));
  });

  it("combines filters", async () => {
    const site = await get("?websiteId=site-a&kind=JSError");
    expect(site.json.events.map((e: { messageId: string }) => e.messageId)).toEqual(["msg-20", "msg-10", "msg-00"]);
    const visitor = await get("?visitorId=visitor-1&kind=NetError");
    expect(visitor.json.events.map((e: { messageId: string }) => e.messageId)).toEqual(["msg-06", "msg-01"]);
    const issueId = site.json.events[0].issueId;
    // Issues are per website: site-a's JSError issue holds msg-00, msg-10 and msg-20.
    const issue = await get(`?issueId=${issueId}`);
    expect(issue.json.events.map((e: { messageId: string }) => e.messageId)).toEqual(["msg-20", "msg-10", "msg-00"]);
    const range = await get(`?from=${new Date((BASE + 3) * 1000).toISOString()}&to=${new Date((BASE + 5) * 1000).toISOString()}`);
    expect(range.json.events.map((e: { messageId: string }) => e.messageId)).toEqual(["msg-05", "msg-04", "msg-03"]);
  });

  it("answers 400 in the JSON error shape for invalid parameters", async () => {
    for (const query of ["?limit=0", "?limit=1001", "?issueId=abc", "?from=yesterday", "?cursor=garbage", "?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z"]) {
      const { status, json } = await get(query);
      expect(status, query).toBe(400);
      expect(Object.keys(json.error).sort()).toEqual(["code", "details", "message"]);
      expect(json.error.code).toBe("bad_request");
      expect(json.error.message).toMatch(/^Invalid /);
    }
  });
});
