import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { db } from "../db/client";
import { env } from "../env";

const keyCache = Symbol.for("lsm.appSecret");
type Cache = { [keyCache]?: string };

/**
 * The app's secret: AUTH_SECRET, or one generated on first start and kept in the database so
 * every instance shares it. Call loadAppSecret() at start-up; appSecret() after.
 */
export async function loadAppSecret(): Promise<string> {
  const cache = globalThis as Cache;
  if (cache[keyCache]) return cache[keyCache];
  const configured = env().AUTH_SECRET;
  if (configured) return (cache[keyCache] = configured);
  const generated = randomBytes(32).toString("base64url");
  await db().appSetting.createMany({ data: [{ key: "auth_secret", value: generated }], skipDuplicates: true });
  const stored = await db().appSetting.findUniqueOrThrow({ where: { key: "auth_secret" } });
  return (cache[keyCache] = stored.value);
}

export function appSecret(): string {
  const secret = (globalThis as Cache)[keyCache];
  if (!secret) throw new Error("The app secret is not loaded: call loadAppSecret() at start-up.");
  return secret;
}

function encryptionKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret(), "lsm", "website-webhook-secrets", 32));
}

/** AES-256-GCM, as "v1.<iv>.<tag>.<ciphertext>" in base64url. */
export function encrypt(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decrypt(sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ciphertext) throw new Error("Unreadable encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
