import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { db } from "../db/client";
import { publicUrl } from "../env";
import { logger } from "../log";
import { appSecret } from "./app-key";

const SESSION_DAYS = 14;
export const MIN_PASSWORD_LENGTH = 12;

/** Origins the browser may call the app from: PUBLIC_URL, and its localhost twin for local use. */
export function trustedOrigins(): string[] {
  const origin = new URL(publicUrl()).origin;
  const url = new URL(origin);
  if (url.hostname === "localhost") return [origin, origin.replace("localhost", "127.0.0.1")];
  if (url.hostname === "127.0.0.1") return [origin, origin.replace("127.0.0.1", "localhost")];
  return [origin];
}

function createAuth() {
  return betterAuth({
    appName: "LiveSession Error Monitor",
    baseURL: publicUrl(),
    basePath: "/api/auth",
    secret: appSecret(),
    trustedOrigins: trustedOrigins(),
    database: prismaAdapter(db(), { provider: "postgresql" }),
    account: { modelName: "authAccount" },
    user: {
      additionalFields: { role: { type: "string", required: false, defaultValue: "viewer", input: false } },
    },
    // Accounts are created by the first-run setup and by invitations, never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 256 },
    session: { expiresIn: SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 20 } },
    },
    // server.ts sets x-forwarded-for to the connecting address unless TRUST_PROXY is set.
    advanced: {
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
      // Explicit, so that no environment (Better Auth relaxes these under TEST) turns them off.
      disableCSRFCheck: false,
      disableOriginCheck: false,
    },
    telemetry: { enabled: false },
    // Into our JSON log; args are left out, as they may hold request data.
    logger: { log: (level, message) => logger()[level]({ source: "better-auth" }, message) },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const authKey = Symbol.for("lsm.auth");
type AuthCache = { [authKey]?: Auth };

/** The process-wide Better Auth instance (needs loadAppSecret() to have run). */
export function auth(): Auth {
  const cache = globalThis as AuthCache;
  cache[authKey] ??= createAuth();
  return cache[authKey];
}
