// A webhook sender for fault tests and the soak benchmark: new deliveries at a steady rate,
// and, like LiveSession, every delivery answered 5xx or lost on the network sent again with
// back-off until it is acknowledged. It counts what happened to each message_id.
import pg from "pg";
import { Agent } from "undici";
import { signBody } from "../livesession/signature";

const PATH = "/api/webhooks/livesession";
const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 3_000;

export type Delivery = { body: string; messageId: string };

export type StreamCounts = {
  /** Deliveries sent (a repeated message_id counts again). */
  deliveries: number;
  /** Distinct message_ids sent. */
  sent: number;
  /** Deliveries acknowledged (200) on their first attempt. */
  okFirstTime: number;
  /** 5xx answers, over all attempts. */
  serverErrors: number;
  /** Attempts that got no answer (connection refused or reset, timeout). */
  networkErrors: number;
  /** Attempts after the first. */
  retries: number;
  /** Every answer but 200, by status (4xx are not retried). */
  refusals: Record<number, number>;
  /** Distinct deliveries acknowledged. */
  acknowledged: number;
};

export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The acknowledged message_ids that are not in the database (lost deliveries). */
export async function missingFromDatabase(databaseUrl: string, ids: Iterable<string>): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT u.id FROM unnest($1::text[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = u.id)",
      [[...ids]],
    );
    return rows.map((r) => r.id as string);
  } finally {
    await client.end();
  }
}

/** Each stored message_id with the number of events that carry it. */
export async function storedMessageIds(databaseUrl: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT message_id, count(*)::int AS n FROM events GROUP BY message_id");
    return new Map(rows.map((r) => [r.message_id as string, r.n as number]));
  } finally {
    await client.end();
  }
}

export class WebhookStream {
  /** The server's base URL; may change between calls (a restarted server on another port). */
  url: string;
  readonly sent = new Set<string>();
  readonly acked = new Set<string>();
  /** Answered 4xx: not retried, never acknowledged. */
  readonly rejected = new Set<string>();
  /** Milliseconds from sending to the 200, one per acknowledged attempt. */
  readonly ackLatencies: number[] = [];
  /** performance.now() of the latest 200. */
  lastAckAt = NaN;
  private readonly counts = { deliveries: 0, okFirstTime: 0, serverErrors: 0, networkErrors: 0, retries: 0, refusals: {} as Record<number, number> };
  private readonly agent: Agent;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private closing = false;

  constructor(
    url: string,
    private readonly options: { secret?: string; connections?: number; timeoutMs?: number } = {},
  ) {
    this.url = url;
    const timeout = options.timeoutMs ?? 10_000;
    this.agent = new Agent({ connections: options.connections ?? 64, headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: 2_000 });
  }

  /** Sends `rate` new deliveries a second from `next` for `durationMs` (or until close()), each retried until acknowledged. */
  async run(next: () => Delivery, rate: number, durationMs: number): Promise<void> {
    const started = performance.now();
    const total = Math.round((rate * durationMs) / 1000);
    for (let i = 0; i < total && !this.stopped; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      this.track(this.deliver(next()));
    }
  }

  /** Waits until every delivery sent so far is acknowledged or rejected, or `timeoutMs` has passed; true when all are acknowledged. */
  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked.size + this.rejected.size < this.sent.size && Date.now() < deadline) await sleep(50);
    return this.acked.size === this.sent.size;
  }

  counted(): StreamCounts {
    return { sent: this.sent.size, acknowledged: this.acked.size, ...this.counts, refusals: { ...this.counts.refusals } };
  }

  /** Lets in-flight requests finish (or fail), then closes the connections. */
  async close(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close();
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(delivery: Delivery): Promise<void> {
    this.sent.add(delivery.messageId);
    this.counts.deliveries++;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.secret) headers["livesession-signature"] = signBody(delivery.body, this.options.secret);
    for (let attempt = 1; !this.closing; attempt++) {
      if (attempt > 1) this.counts.retries++;
      const t0 = performance.now();
      let status: number;
      try {
        const { origin } = new URL(this.url);
        const response = await this.agent.request({ origin, path: PATH, method: "POST", headers, body: delivery.body });
        await response.body.dump();
        status = response.statusCode;
      } catch {
        this.counts.networkErrors++;
        status = 0;
      }
      if (status === 200) {
        this.lastAckAt = performance.now();
        this.ackLatencies.push(this.lastAckAt - t0);
        if (attempt === 1) this.counts.okFirstTime++;
        this.acked.add(delivery.messageId);
        return;
      }
      if (status !== 0) this.counts.refusals[status] = (this.counts.refusals[status] ?? 0) + 1;
      if (status >= 500) this.counts.serverErrors++;
      else if (status !== 0) {
        this.rejected.add(delivery.messageId);
        return;
      }
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      await sleep(backoff * (0.75 + Math.random() * 0.5));
    }
  }
}
