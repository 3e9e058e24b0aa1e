import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, errorBody, toApiError } from "../api/errors";
import { checkDatabase } from "../db/health";
import { BASE_SECURITY_HEADERS } from "./security-headers";
import { MAX_WEBHOOK_BYTES, receiveWebhook } from "../livesession/webhook";

// Routes called by machines at high rates (LiveSession's deliveries, load-balancer health
// checks) are served here, before Next.js: its per-request work (~1 ms of CPU on these
// machines) would otherwise cap ingest below 1,000 webhooks/s. Handlers stay thin: read,
// call a lib verb, answer in the API's JSON shape.

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...BASE_SECURITY_HEADERS,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown, what: string): void {
  const apiError = toApiError(error, what);
  const headers: Record<string, string> = {};
  if (apiError.status === 503) headers["retry-after"] = "5";
  // The rest of an oversized body is not read: do not reuse the connection.
  if (apiError.status === 413) headers.connection = "close";
  sendJson(res, apiError.status, errorBody(apiError), headers);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ApiError("payload_too_large", `Request bodies are limited to ${limit} bytes.`);
    if (Number(req.headers["content-length"]) > limit) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

function methodNotAllowed(res: ServerResponse, allowed: string): void {
  sendJson(res, 405, errorBody(new ApiError("method_not_allowed", `Use ${allowed} on this route.`)), { allow: allowed });
}

// POST /api/webhooks/livesession
async function webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") return methodNotAllowed(res, "POST");
  try {
    const body = await readBody(req, MAX_WEBHOOK_BYTES);
    const header = req.headers["livesession-signature"];
    const receipt = await receiveWebhook({
      contentType: req.headers["content-type"] ?? null,
      signature: (Array.isArray(header) ? header[0] : header) ?? null,
      body,
    });
    sendJson(res, 200, receipt);
  } catch (error) {
    sendError(res, error, "webhook");
  }
}

// GET /api/health
async function health(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(res, "GET");
  try {
    await checkDatabase();
    sendJson(res, 200, { status: "ok" });
  } catch (error) {
    sendError(res, error, "request");
  }
}

const ROUTES: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
  "/api/webhooks/livesession": webhook,
  "/api/health": health,
};

/** A path Next.js could not decode (a bad percent-escape such as `%E0%A4%A`): it would answer 500. */
async function malformedPath(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 400, errorBody(new ApiError("bad_request", "The request path is not valid percent-encoded UTF-8.")));
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The handler for this request's path if it is a machine route (or a path that cannot be
 * decoded), else null (Next.js serves it).
 */
export function machineRoute(req: IncomingMessage): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null {
  const path = (req.url ?? "").split("?", 1)[0]!.replace(/\/+$/, "");
  return ROUTES[path] ?? (decodable(path) ? null : malformedPath);
}
