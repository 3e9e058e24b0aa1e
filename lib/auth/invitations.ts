import { createHash, randomBytes } from "node:crypto";
import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { publicUrl } from "../env";
import type { Role } from "./roles";
import { createMember } from "./users";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

function invitationView(row: { id: string; role: string; createdAt: Date; expiresAt: Date }) {
  return { id: row.id, role: row.role as Role, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() };
}

/** An invitation link for a role; the token is returned once and stored hashed. */
export async function createInvitation(input: { role: Exclude<Role, "owner">; expiresInDays: number; createdById: string | null }) {
  const token = randomBytes(24).toString("base64url");
  const row = await db().invitation.create({
    data: {
      tokenHash: hash(token),
      role: input.role,
      createdById: input.createdById,
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000),
    },
  });
  return { invitation: invitationView(row), link: `${publicUrl()}/invite/${token}` };
}

export async function listInvitations() {
  const rows = await db().invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(invitationView);
}

export async function revokeInvitation(id: string): Promise<void> {
  const { count } = await db().invitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new ApiError("not_found", "No such pending invitation.");
}

/** What an invitation link offers; 404 for an unknown link, 410 when it can no longer be used. */
export async function describeInvitation(token: string) {
  const row = await db().invitation.findUnique({ where: { tokenHash: hash(token) } });
  if (!row) throw new ApiError("not_found", "This invitation link is not valid.");
  if (row.acceptedAt || row.revokedAt || row.expiresAt <= new Date()) {
    throw new ApiError("gone", "This invitation link has expired or was already used.");
  }
  return { role: row.role as Role, expiresAt: row.expiresAt.toISOString() };
}

/** Creates the invited member. The link is claimed first, so it works exactly once. */
export async function acceptInvitation(input: { token: string; name: string; email: string; password: string }) {
  const { role } = await describeInvitation(input.token);
  const now = new Date();
  const claimed = await db().invitation.updateMany({
    where: { tokenHash: hash(input.token), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now },
  });
  if (claimed.count === 0) throw new ApiError("gone", "This invitation link has expired or was already used.");
  try {
    const user = await createMember({ name: input.name, email: input.email, password: input.password, role });
    await db().invitation.updateMany({ where: { tokenHash: hash(input.token) }, data: { acceptedById: user.id } });
    return user;
  } catch (error) {
    await db().invitation.updateMany({ where: { tokenHash: hash(input.token) }, data: { acceptedAt: null } });
    throw error;
  }
}
