/** The error every failed API call throws: the API's own message, plus its status and code. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

type ErrorShape = { error?: { code?: unknown; message?: unknown; details?: unknown } };

function fallbackMessage(status: number): string {
  if (status === 429) return "Too many requests, try again in a few minutes.";
  if (status >= 500) return "Something went wrong on the server. Try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

/** Sends the visitor to the sign-in page, coming back here afterwards. */
export function goToSignIn(): void {
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
}

export type ApiInit = Omit<RequestInit, "body"> & {
  /** Sent as a JSON body with `content-type: application/json`. */
  json?: unknown;
  /** On 401, send the visitor to /sign-in (default true). */
  redirectOn401?: boolean;
};

/**
 * fetch() for this app's JSON API. Resolves to the parsed body; throws an ApiRequestError
 * with the API's `error.message` when the answer is not 2xx (or the network fails).
 */
export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  const { json, redirectOn401 = true, headers, ...rest } = init;
  const requestHeaders = new Headers(headers);
  requestHeaders.set("accept", "application/json");
  const method = (rest.method ?? "GET").toUpperCase();
  // The server only accepts JSON on state-changing requests, even when there is no body.
  if (json !== undefined || method !== "GET") requestHeaders.set("content-type", "application/json");

  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      method,
      headers: requestHeaders,
      credentials: "same-origin",
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiRequestError("Could not reach the server. Check your connection and try again.", 0);
  }

  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }

  if (!response.ok) {
    if (response.status === 401 && redirectOn401) goToSignIn();
    const error = (body as ErrorShape | null)?.error;
    const message = typeof error?.message === "string" && error.message ? error.message : fallbackMessage(response.status);
    throw new ApiRequestError(message, response.status, typeof error?.code === "string" ? error.code : null, error?.details ?? null);
  }
  return body as T;
}

/** A message to show for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Try again.";
}
