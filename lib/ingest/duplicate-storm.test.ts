// Integration: a duplicate storm against the real server and PostgreSQL. Every delivery is sent
// three times, concurrently and shuffled (so older occurrences often arrive after newer ones):
// exactly one event per message_id, and every count equals a recomputation from the events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation, mulberry32 } from "../simulator/generate";
import { createScratchDatabase, type ScratchDatabase } from "../testing/database";
import { postWebhook } from "../testing/deliveries";
import { expectRollupsMatchEvents } from "../testing/rollup-check";
import { startAppServer, type AppServer } from "../testing/server";

const DELIVERIES = 400;
const COPIES = 3;
const IN_FLIGHT = 48;

let database: ScratchDatabase;
let server: AppServer;

beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({ DATABASE_URL: database.url });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** Fisher-Yates with a seeded generator, so a failure reproduces. */
function shuffle<T>(items: T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe("duplicate storm", () => {
  it(`stores each of ${DELIVERIES} deliveries sent ${COPIES} times once, with counts that match the events`, async () => {
    // Many visitors and issues across three websites, spread over two days (rollups of several buckets).
    const simulation = createSimulation({ seed: 7, visitors: 150, duplicateRate: 0 });
    const start = Date.parse("2026-11-27T00:00:00Z");
    const deliveries = Array.from({ length: DELIVERIES }, (_, i) => simulation.next(new Date(start + i * 431_000)));
    const sends = shuffle(deliveries.flatMap((d) => Array.from({ length: COPIES }, () => d)), mulberry32(13));

    const answers = new Map<string, string[]>();
    let next = 0;
    let olderAfterNewer = 0;
    let newestSent = -Infinity;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < sends.length) {
          const d = sends[next++]!;
          const occurred = deliveries.indexOf(d);
          if (occurred < newestSent) olderAfterNewer++;
          newestSent = Math.max(newestSent, occurred);
          const reply = await postWebhook(server.url, d.body);
          expect(reply.status, JSON.stringify(reply.json)).toBe(200);
          answers.set(d.messageId, [...(answers.get(d.messageId) ?? []), reply.json.status]);
        }
      }),
    );

    // Each message_id: stored once, a duplicate the other times.
    for (const [messageId, statuses] of answers) expect(statuses.sort(), messageId).toEqual(["duplicate", "duplicate", "stored"]);
    const { rows: events } = await database.query("SELECT message_id, count(*)::int AS n FROM events GROUP BY 1");
    expect(events.every((e) => e.n === 1)).toBe(true);
    expect(events.map((e) => e.message_id).sort()).toEqual(deliveries.map((d) => d.messageId).sort());

    const compared = await expectRollupsMatchEvents(database.query);
    const { rows: totals } = await database.query(
      `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM issues) AS issues,
         (SELECT count(*)::int FROM visitors) AS visitors, (SELECT count(DISTINCT kind)::int FROM events) AS kinds,
         (SELECT count(DISTINCT website_id)::int FROM events) AS websites`,
    );
    console.log(
      `duplicate storm: ${sends.length} posts (${DELIVERIES} deliveries x ${COPIES}, ${IN_FLIGHT} in flight, ${olderAfterNewer} sent after a newer one); ` +
        `stored ${totals[0].events} events of ${totals[0].kinds} kinds on ${totals[0].websites} websites, ` +
        `${totals[0].issues} issues, ${totals[0].visitors} visitors; rollup rows equal to a recomputation: ${JSON.stringify(compared)}`,
    );
    // The storm covered what it claims: every kind, many issues and visitors, arrivals out of order.
    expect(totals[0].kinds).toBe(5);
    expect(totals[0].issues).toBeGreaterThan(20);
    expect(totals[0].visitors).toBeGreaterThan(50);
    expect(olderAfterNewer).toBeGreaterThan(DELIVERIES);
  }, 120_000);
});
