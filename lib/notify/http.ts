import { describeRequestError, failed, SEND_TIMEOUT_MS, succeeded, type SendResult } from "./send-result";

/** How much of an error response's body is kept, to say why it was refused. */
const BODY_EXCERPT = 200;

/** The start of a response's body; the rest is not read (a receiver may answer without end). */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < BODY_EXCERPT) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  return Buffer.concat(chunks).toString("utf8").slice(0, BODY_EXCERPT).trim();
}

/**
 * POSTs a JSON body to a user-given URL: redirects are not followed, 2xx is a success, and
 * the whole exchange (connecting, headers, body) is bounded by `timeoutMs`.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs = SEND_TIMEOUT_MS): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "LiveSession-Error-Monitor", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) return succeeded(response.status);
    return failed(`HTTP ${response.status}${excerpt ? `: ${excerpt}` : ""}`, response.status);
  } catch (error) {
    return failed(describeRequestError(error, timeoutMs));
  }
}
