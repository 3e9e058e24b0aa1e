import { ZodError, type z } from "zod";
import { logger } from "../log";

export type ErrorCode =
  | "bad_request"
  | "invalid_json"
  | "invalid_payload"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "gone"
  | "too_many_requests"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "service_unavailable"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  gone: 410,
  too_many_requests: 429,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  service_unavailable: 503,
  internal_error: 500,
};

/** The one error the API answers with: `{"error": {"code", "message", "details"}}`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }
}

export type ErrorBody = { error: { code: ErrorCode; message: string; details: unknown } };

export function zodIssues(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

function describeZodError(error: ZodError, what: string): ApiError {
  const issues = zodIssues(error);
  const first = issues[0];
  const summary = first ? `${first.path || "(root)"}: ${first.message}` : "invalid";
  return new ApiError("bad_request", `Invalid ${what}: ${summary}`, issues);
}

/** Maps anything thrown in a route to an ApiError; unexpected errors are logged and stay opaque. */
export function toApiError(error: unknown, what = "request"): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return describeZodError(error, what);
  if (isDatabaseUnavailable(error)) {
    return new ApiError("service_unavailable", "The database is unavailable; try again shortly.");
  }
  logger().error({ err: error }, "unhandled error");
  return new ApiError("internal_error", "Something went wrong on our side.");
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

export function errorResponse(error: unknown, what?: string): Response {
  const apiError = toApiError(error, what);
  const headers: Record<string, string> = {};
  if (apiError.status === 503) headers["retry-after"] = "5";
  return Response.json(errorBody(apiError), { status: apiError.status, headers });
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
const CONNECTION_MESSAGES =
  /connection terminated|connection refused|timeout exceeded when trying to connect|terminating connection|the database system is (starting up|shutting down)|client has encountered a connection error|server (has )?closed the connection|Connection ended|Can't reach database/i;

/** True for errors that mean PostgreSQL cannot be reached now (the caller should retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (typeof e !== "object") break;
    const candidate = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    };
    const code = String(candidate.originalCode ?? candidate.code ?? "");
    if (CONNECTION_CODES.has(code) || /^(08|57P0)/.test(code) || code === "53300") return true;
    // Prisma's pg adapter reports a connection PostgreSQL dropped mid-query this way (code P2010).
    if (candidate.meta?.driverAdapterError?.cause?.kind === "ConnectionClosed") return true;
    if (typeof candidate.message === "string" && CONNECTION_MESSAGES.test(candidate.message)) return true;
    e = candidate.cause;
  }
  return false;
}
