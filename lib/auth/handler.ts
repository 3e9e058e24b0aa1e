import { ApiError, errorResponse } from "../api/errors";
import { MAX_JSON_BODY_BYTES, readBody } from "../api/request";
import { auth } from "./auth";
import { clearSignInFailures, isAccountThrottled, recordSignInFailure } from "./sign-in-limit";

const SIGN_IN_PATH = "/api/auth/sign-in/email";

function emailOf(body: Buffer): string | null {
  try {
    const email = (JSON.parse(body.toString("utf8")) as { email?: unknown }).email;
    return typeof email === "string" ? email : null;
  } catch {
    return null;
  }
}

/**
 * Better Auth's handler with a body size limit and, for email sign-in, a per-account limit
 * on failures on top of Better Auth's per-IP limit. A throttled account gets the same answer
 * whether or not it exists.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  try {
    if (request.method === "GET" || request.method === "HEAD") return await auth().handler(request);
    const body = await readBody(request, MAX_JSON_BODY_BYTES);
    const forward = () => auth().handler(new Request(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(body) }));
    const email = new URL(request.url).pathname === SIGN_IN_PATH ? emailOf(body) : null;
    if (!email) return await forward();

    if (await isAccountThrottled(email)) {
      throw new ApiError("too_many_requests", "Too many failed sign-ins for this account; try again in 15 minutes.");
    }
    const response = await forward();
    if (response.status === 401) await recordSignInFailure(email);
    else if (response.ok) await clearSignInFailures(email);
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}
