// What every sender answers: senders never throw, a failure is a result like a success.

export type SendResult = { ok: boolean; statusCode: number | null; error: string | null };

/** Outgoing requests to a channel give up after this long. */
export const SEND_TIMEOUT_MS = 10_000;

/** Longest error kept on an attempt (and shown on the channel). */
const MAX_ERROR_LENGTH = 300;

export function failed(error: string, statusCode: number | null = null): SendResult {
  return { ok: false, statusCode, error: error.replace(/\s+/g, " ").trim().slice(0, MAX_ERROR_LENGTH) };
}

export const succeeded = (statusCode: number | null): SendResult => ({ ok: true, statusCode, error: null });

/** Rejects with a timeout error after `ms`, for work that has no signal of its own. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`Timed out after ${ms / 1000} s`);
    this.name = "TimeoutError";
  }
}

/**
 * A readable reason for a failed request, without the URL (it may hold a token, as Slack's
 * do): the timeout, or the system error code of the connection.
 */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `Timed out after ${timeoutMs / 1000} s`;
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code) return `Request failed (${code})`;
    e = (e as { cause?: unknown }).cause;
  }
  return "Request failed";
}
