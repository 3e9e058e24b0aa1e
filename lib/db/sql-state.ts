/**
 * The PostgreSQL SQLSTATE of a failed query, or null. Prisma reports a failed raw query as its
 * own P2010 error, with PostgreSQL's code as `originalCode` on the driver adapter's error in
 * `meta`; node-postgres errors carry it as `code`.
 */
export function sqlState(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    const candidate = e as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof candidate.originalCode === "string") return candidate.originalCode;
    const inner = candidate.meta?.driverAdapterError ?? candidate.cause;
    if (!inner && typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate.code;
    e = inner;
  }
  return null;
}
