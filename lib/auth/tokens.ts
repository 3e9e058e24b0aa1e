import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import type { Principal } from "./principal";
import type { Role } from "./roles";

const LAST_USED_PRECISION_MS = 60_000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function sameSecret(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}

/** Creates a token; the plain token is returned once and only its hash is stored. */
export async function createApiToken(input: { name: string; role: Role; createdById: string | null }) {
  const token = `lsm_${randomBytes(24).toString("base64url")}`;
  const record = await db().apiToken.create({
    data: { name: input.name, role: input.role, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdById: input.createdById },
  });
  return { token, record: tokenView(record) };
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof db>["apiToken"]["findFirstOrThrow"]>>;

function tokenView(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens() {
  const rows = await db().apiToken.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map(tokenView);
}

export async function revokeApiToken(id: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new ApiError("not_found", "No such API token.");
}

/** The principal of a bearer token: ADMIN_API_TOKEN, or a stored token that is not revoked. */
export async function verifyApiToken(token: string): Promise<Principal | null> {
  const adminToken = env().ADMIN_API_TOKEN;
  if (adminToken && sameSecret(token, adminToken)) return { kind: "token", tokenId: null, name: "ADMIN_API_TOKEN", role: "admin" };
  if (!token.startsWith("lsm_")) return null;
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db()
      .apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } })
      .catch((error: unknown) => logger().warn({ err: error }, "could not record token use"));
  }
  return { kind: "token", tokenId: row.id, name: row.name, role: row.role as Role };
}
