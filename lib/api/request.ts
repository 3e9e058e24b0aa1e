import type { z } from "zod";
import { ApiError } from "./errors";

/** Bodies of the JSON API (settings, triage) are small; webhooks have their own limit. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Reads a request body into memory, refusing (413) anything over `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  if (Number(request.headers.get("content-length")) > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `Request bodies are limited to ${limit} bytes.`);
}

/** Parses a JSON request body with a zod schema: 415 if not JSON, 413 if too large, 400 if invalid. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new ApiError("unsupported_media_type", "Send the body as application/json.");
  const text = (await readBody(request, MAX_JSON_BODY_BYTES)).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the body, which may hold a password.
    throw new ApiError("bad_request", "Malformed JSON body.");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw result.error;
  return result.data;
}
