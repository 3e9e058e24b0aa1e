import pg from "pg";
import { startEmbeddedDatabase } from "/work/main/lib/db/embedded";
const db = await startEmbeddedDatabase("/work/bench-10m/data", 55432);
const c = new pg.Client({ connectionString: db.url });
await c.connect();
try {
  console.log((await c.query("SELECT migration_name, started_at, finished_at, rolled_back_at, left(logs, 300) AS logs FROM _prisma_migrations WHERE finished_at IS NULL")).rows);
  console.log((await c.query("SELECT to_regclass('rollup_country_bits_1h') AS t, (SELECT count(*) FROM pg_indexes WHERE indexname = 'events_website_id_url_template_occurred_at_idx') AS i")).rows);
} finally {
  await c.end();
  await db.stop();
}
