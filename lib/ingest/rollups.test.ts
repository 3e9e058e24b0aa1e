// Integration: after realistic traffic (with retries), every rollup and counter agrees with
// the stored events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { expectRollupsMatchEvents } from "../testing/rollups";
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

describe("rollups and counters", () => {
  it("stored some of every kind, and skipped the repeats", async () => {
    const { rows: kinds } = await database.query("SELECT kind, count(*)::int AS n FROM events GROUP BY kind");
    expect(kinds.length).toBeGreaterThanOrEqual(5);
    const { rows: total } = await database.query("SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM events");
    expect(total[0].n).toBe(total[0].d);
    expect(total[0].n).toBeLessThan(600);
  });

  it("every rollup and counter equals its recomputation from the events", async () => {
    const compared = await expectRollupsMatchEvents(database);
    // Enough groups that a wrong bucket, chunk or key would show.
    expect(compared.rollup_visitor_bits_1h).toBeGreaterThan(10);
    expect(compared.rollup_country_bits_1h).toBeGreaterThan(10);
    const { rows: countries } = await database.query("SELECT count(DISTINCT country_code)::int AS n FROM rollup_country_bits_1h");
    expect(countries[0].n).toBeGreaterThan(1);
    expect(compared.issue_visitor_bits).toBeGreaterThan(5);
    expect(compared["rollup_visitor_days (1 d)"]).toBeGreaterThan(20);
    expect(compared["rollup_visitor_days (7 d)"]).toBeGreaterThan(5);
  });
});
