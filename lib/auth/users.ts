import { ApiError } from "../api/errors";
import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import { auth } from "./auth";
import type { Role } from "./roles";

export type NewUser = { name: string; email: string; password: string; role: Role };

function userView(user: { id: string; name: string; email: string; role: string; createdAt: Date }) {
  return { id: user.id, name: user.name, email: user.email, role: user.role as Role, createdAt: user.createdAt.toISOString() };
}

/** Creates a user with an email/password credential, the way Better Auth's sign-up does. */
async function createUser(input: NewUser) {
  const context = await auth().$context;
  const email = input.email.trim().toLowerCase();
  if (await context.internalAdapter.findUserByEmail(email)) {
    throw new ApiError("conflict", "A user with this email already exists.");
  }
  const user = await context.internalAdapter.createUser(
    { name: input.name.trim(), email, emailVerified: false, role: input.role },
    { method: "email-password" },
  );
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await context.password.hash(input.password),
  });
  return userView({ ...user, role: input.role });
}

/**
 * Claims first-run setup: true exactly once per installation, even for concurrent callers,
 * and only while no user exists.
 */
async function claimSetup(): Promise<boolean> {
  if ((await db().user.count()) > 0) return false;
  const { count } = await db().appSetting.createMany({ data: [{ key: "setup_done", value: new Date().toISOString() }], skipDuplicates: true });
  return count === 1;
}

export async function isSetupOpen(): Promise<boolean> {
  return (await db().user.count()) === 0 && !(await db().appSetting.findUnique({ where: { key: "setup_done" } }));
}

/** First run: the first visitor creates the owner; closed for good afterwards. */
export async function setupOwner(input: Omit<NewUser, "role">) {
  if (!(await claimSetup())) throw new ApiError("conflict", "Setup is already done: sign in instead.");
  return createUser({ ...input, role: "owner" });
}

/** ADMIN_EMAIL + ADMIN_PASSWORD create the owner at start-up (automated deployments); idempotent. */
export async function ensureOwnerFromEnv(): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = env();
  if (!email || !password) return;
  if (await db().user.findUnique({ where: { email: email.toLowerCase() } })) return;
  if (!(await claimSetup())) {
    logger().warn("ADMIN_EMAIL is set but users already exist: no owner was created");
    return;
  }
  await createUser({ name: "Owner", email, password, role: "owner" });
  logger().info("owner account created from ADMIN_EMAIL");
}

export async function createMember(input: NewUser) {
  return createUser(input);
}

export async function listMembers() {
  const users = await db().user.findMany({ orderBy: { createdAt: "asc" } });
  return users.map(userView);
}

async function findNonOwner(id: string) {
  const user = await db().user.findUnique({ where: { id } });
  if (!user) throw new ApiError("not_found", "No such member.");
  if (user.role === "owner") throw new ApiError("forbidden", "The owner's role cannot be changed or removed.");
  return user;
}

export async function changeMemberRole(id: string, role: Exclude<Role, "owner">) {
  await findNonOwner(id);
  return userView(await db().user.update({ where: { id }, data: { role } }));
}

/** Removes a member and, with them, their sessions and credentials. */
export async function removeMember(id: string): Promise<void> {
  await findNonOwner(id);
  await db().user.delete({ where: { id } });
}
