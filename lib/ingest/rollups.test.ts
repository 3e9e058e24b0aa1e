// Integration: after realistic traffic (with retries), every rollup and counter agrees with
// the stored events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { expectRollupsMatchEvents, sortedRows } from "../testing/rollup-check";
import { startAppServer, type AppServer } from "../testing/server";

let database: ScratchDatabase;
let server: AppServer;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url });
  const simulation = createSimulation({ seed: 11, visitors: 200, duplicateRate: 0.1 });
  const start = Date.parse("2026-11-28T00:00:00Z");
  const deliveries = Array.from({ length: 600 }, (_, i) => simulation.next(new Date(start + i * 97_000)));
  // Concurrently, so batches mix websites, kinds and repeats.
  for (let i = 0; i < deliveries.length; i += 50) {
    const replies = await Promise.all(deliveries.slice(i, i + 50).map((d) => postWebhook(server.url, d.body)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  }
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const count = async (sql: string) => (await sortedRows(database.query, sql)).length;

describe("rollups and counters", () => {
  it("stored some of every kind, and skipped the repeats", async () => {
    const { rows: kinds } = await database.query("SELECT kind, count(*)::int AS n FROM events GROUP BY kind");
    expect(kinds.length).toBeGreaterThanOrEqual(5);
    const { rows: total } = await database.query("SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM events");
    expect(total[0].n).toBe(total[0].d);
    expect(total[0].n).toBeLessThan(600);
  });

  it("filled the visitor rollups enough for the comparison to mean something", async () => {
    expect(await count("SELECT * FROM rollup_visitor_bits_1h")).toBeGreaterThan(10);
    expect(await count("SELECT * FROM issue_visitor_bits")).toBeGreaterThan(5);
    expect(await count("SELECT DISTINCT country_code FROM rollup_country_bits_1h")).toBeGreaterThan(1);
    expect(await count("SELECT * FROM rollup_visitor_days WHERE days = 1")).toBeGreaterThan(20);
    expect(await count("SELECT * FROM rollup_visitor_days WHERE days = 7")).toBeGreaterThan(5);
  });

  it("every rollup, bit and counter agrees with the events", async () => {
    await expectRollupsMatchEvents(database.query);
  });
});
