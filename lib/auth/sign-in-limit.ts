import { db } from "../db/client";

// Per-account limit on failed sign-ins (Better Auth limits per IP). Counted in the database
// so every app instance sees the same count.
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

const normalize = (email: string) => email.trim().toLowerCase();

export async function isAccountThrottled(email: string): Promise<boolean> {
  const since = new Date(Date.now() - WINDOW_MS);
  const failures = await db().signInFailure.count({ where: { email: normalize(email), failedAt: { gt: since } } });
  return failures >= MAX_FAILURES;
}

export async function recordSignInFailure(email: string): Promise<void> {
  await db().signInFailure.create({ data: { email: normalize(email) } });
  await db().signInFailure.deleteMany({ where: { failedAt: { lt: new Date(Date.now() - WINDOW_MS) } } });
}

export async function clearSignInFailures(email: string): Promise<void> {
  await db().signInFailure.deleteMany({ where: { email: normalize(email) } });
}
