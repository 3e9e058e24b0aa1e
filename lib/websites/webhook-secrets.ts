// A small per-process cache of each website's webhook secrets, so verifying a delivery's
// signature costs no query on the hot path. A rotation elsewhere is seen within TTL_MS; the
// previous secret stays valid far longer than that.

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

type Entry = { secrets: Promise<string[]>; until: number };
const cacheKey = Symbol.for("lsm.webhookSecrets");
type Cache = { [cacheKey]?: Map<string, Entry> };

function cache(): Map<string, Entry> {
  const holder = globalThis as Cache;
  holder[cacheKey] ??= new Map();
  return holder[cacheKey];
}

export async function cachedWebhookSecrets(websiteId: string, load: (id: string) => Promise<string[]>): Promise<string[]> {
  const entries = cache();
  const now = Date.now();
  const hit = entries.get(websiteId);
  if (hit && hit.until > now) return hit.secrets;
  // Unknown ids are cached too (as no secrets), so random website_ids cannot force a query
  // per request; the size cap bounds what they can fill.
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const secrets = load(websiteId);
  entries.set(websiteId, { secrets, until: now + TTL_MS });
  secrets.catch(() => entries.delete(websiteId));
  return secrets;
}

export function forgetWebhookSecrets(websiteId: string): void {
  cache().delete(websiteId);
}
