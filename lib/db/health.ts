import { ApiError } from "../api/errors";
import { logger } from "../log";
import { db } from "./client";

/** Throws a 503 ApiError unless PostgreSQL answers a trivial query. */
export async function checkDatabase(): Promise<void> {
  try {
    await db().$queryRaw`select 1`;
  } catch (error) {
    logger().warn({ err: error instanceof Error ? error.message : String(error) }, "health check failed");
    throw new ApiError("service_unavailable", "The database is unavailable.");
  }
}
