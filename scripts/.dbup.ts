import { startEmbeddedDatabase } from "../lib/db/embedded";
const db = await startEmbeddedDatabase("/work/bench-10m/data", 54499);
console.log(db.url);
process.on("SIGTERM", async () => { await db.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
