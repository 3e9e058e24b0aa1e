// Integration: CSV and JSON downloads from the list and breakdown APIs of the real server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { delivery, postWebhook } from "../testing/deliveries";
import { startAppServer, type AppServer } from "../testing/server";

const TOKEN = "test-admin-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };
const RANGE = "websiteId=site-a&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
let database: ScratchDatabase;
let server: AppServer;

// Three JS errors (one message a spreadsheet would run as a formula), each from its own visitor.
const MESSAGES = ["=HYPERLINK(\"http://evil.example\",\"x\")", "TypeError: a is undefined", "TypeError: a is undefined"];

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url, ADMIN_API_TOKEN: TOKEN });
  for (const [i, message] of MESSAGES.entries()) {
    const seconds = Date.parse("2026-11-29T10:00:00Z") / 1000 + i * 60;
    const { body } = delivery("js-error", (d) => {
      d.website_id = "site-a";
      d.created_at = seconds;
      Object.assign(d.payload, { value: message, time: seconds * 1000 });
      d.payload.visitor.id = `visitor-${i}`;
    });
    expect((await postWebhook(server.url, body)).status).toBe(200);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("exports", () => {
  it("downloads the issues list as CSV, every page, formulas defused", async () => {
    const response = await fetch(`${server.url}/api/issues?${RANGE}&limit=1&format=csv`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="issues-[\d-]+\.csv"$/);
    const [header, ...lines] = (await response.text()).trimEnd().split("\n");
    expect(header).toBe("id,kind,title,firstSeen,lastSeen,events,totalEvents,visitors,status,assigneeId,assigneeName");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(",JSError,TypeError: a is undefined,");
    expect(lines[0]).toMatch(/,2,2,2,open,,$/);
    expect(lines[1]).toContain(`,JSError,"'=HYPERLINK(""http://evil.example"",""x"")",`);
  });

  it("downloads a breakdown as JSON with the rest last", async () => {
    const response = await fetch(`${server.url}/api/stats/breakdown?${RANGE}&by=visitor&limit=2&format=json`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const rows = (await response.json()) as { visitor: string; events: number }[];
    expect(rows.map((r) => [r.visitor, r.events])).toEqual([
      ["visitor-0", 1],
      ["visitor-1", 1],
      ["other", 1],
    ]);
  });

  it("refuses an unknown format and an unauthenticated download", async () => {
    const bad = await fetch(`${server.url}/api/visitors?${RANGE}&format=xlsx`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    expect((await fetch(`${server.url}/api/visitors?${RANGE}&format=csv`)).status).toBe(401);
  });
});
