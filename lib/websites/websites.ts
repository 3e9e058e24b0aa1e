import { randomBytes } from "node:crypto";
import { ApiError } from "../api/errors";
import { decrypt, encrypt } from "../auth/app-key";
import { db } from "../db/client";
import { env, publicUrl } from "../env";
import { forgetWebhookSecrets } from "./webhook-secrets";

export const WEBHOOK_PATH = "/api/webhooks/livesession";

type WebsiteRow = {
  id: string;
  name: string | null;
  account_id: string | null;
  first_seen: Date;
  last_event_at: Date | null;
  signature_failures: number;
  last_signature_failure_at: Date | null;
  secret_created_at: Date | null;
  previous_secret_retires_at: Date | null;
};

function websiteView(row: WebsiteRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    firstSeen: row.first_seen.toISOString(),
    lastEventAt: iso(row.last_event_at),
    webhookUrl: `${publicUrl()}${WEBHOOK_PATH}`,
    hasSecret: row.secret_created_at !== null,
    secretCreatedAt: iso(row.secret_created_at),
    previousSecretRetiresAt: iso(row.previous_secret_retires_at),
    signatureFailures: row.signature_failures,
    lastSignatureFailureAt: iso(row.last_signature_failure_at),
  };
}

export type WebsiteView = ReturnType<typeof websiteView>;

async function queryWebsites(id: string | null): Promise<WebsiteView[]> {
  const rows = await db().$queryRaw<WebsiteRow[]>`
    SELECT w.id, w.name, w.account_id, w.first_seen, w.signature_failures, w.last_signature_failure_at,
      (SELECT max(i.last_seen) FROM issues i WHERE i.website_id = w.id) AS last_event_at,
      (SELECT max(s.created_at) FROM website_secrets s WHERE s.website_id = w.id AND s.retires_at IS NULL) AS secret_created_at,
      (SELECT max(s.retires_at) FROM website_secrets s WHERE s.website_id = w.id AND s.retires_at > now()) AS previous_secret_retires_at
    FROM websites w
    WHERE ${id}::text IS NULL OR w.id = ${id}
    ORDER BY coalesce(w.name, w.id)`;
  return rows.map(websiteView);
}

/** Every website we have seen a delivery for or that an admin added. */
export async function listWebsites(): Promise<WebsiteView[]> {
  return queryWebsites(null);
}

export async function getWebsite(id: string): Promise<WebsiteView> {
  const [website] = await queryWebsites(id);
  if (!website) throw new ApiError("not_found", "No such website.");
  return website;
}

/** Adds a website by its LiveSession id before (or after) its first delivery. */
export async function addWebsite(input: { id: string; name: string | null }): Promise<WebsiteView> {
  const { count } = await db().website.createMany({ data: [{ id: input.id, name: input.name }], skipDuplicates: true });
  if (count === 0) throw new ApiError("conflict", "This website is already listed.");
  return getWebsite(input.id);
}

export async function renameWebsite(id: string, name: string | null): Promise<WebsiteView> {
  const { count } = await db().website.updateMany({ where: { id }, data: { name } });
  if (count === 0) throw new ApiError("not_found", "No such website.");
  return getWebsite(id);
}

/**
 * Gives a website a new webhook secret and returns it (it is not shown again). The previous
 * secret stays valid for WEBHOOK_SECRET_GRACE_HOURS, so LiveSession can be updated meanwhile.
 */
export async function rotateWebsiteSecret(id: string): Promise<{ secret: string; website: WebsiteView }> {
  await getWebsite(id);
  const secret = randomBytes(32).toString("base64url");
  const retiresAt = new Date(Date.now() + env().WEBHOOK_SECRET_GRACE_HOURS * 60 * 60 * 1000);
  await db().$transaction([
    db().websiteSecret.updateMany({ where: { websiteId: id, retiresAt: null }, data: { retiresAt } }),
    db().websiteSecret.deleteMany({ where: { websiteId: id, retiresAt: { lte: new Date() } } }),
    db().websiteSecret.create({ data: { websiteId: id, secret: encrypt(secret) } }),
  ]);
  forgetWebhookSecrets(id);
  return { secret, website: await getWebsite(id) };
}

/** The secrets a delivery for this website may be signed with (current first), decrypted. */
export async function loadWebhookSecrets(websiteId: string): Promise<string[]> {
  const rows = await db().websiteSecret.findMany({
    where: { websiteId, OR: [{ retiresAt: null }, { retiresAt: { gt: new Date() } }] },
    orderBy: [{ retiresAt: { sort: "desc", nulls: "first" } }],
  });
  return rows.map((row) => decrypt(row.secret));
}

/** Counts a delivery refused for its signature, so a wrong secret shows up in settings. */
export async function recordSignatureFailure(websiteId: string): Promise<void> {
  await db().website.updateMany({
    where: { id: websiteId },
    data: { signatureFailures: { increment: 1 }, lastSignatureFailureAt: new Date() },
  });
}
