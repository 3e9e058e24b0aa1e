// Erasing a visitor's data on request: their events (with what those added to every counter,
// rollup and visitor bit), their visitor row, and the rejected deliveries that mention them.
import { z } from "zod";
import { db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { logger } from "../log";
import { BATCH_SIZE, removeEvents } from "./remove-events";

export const eraseVisitorBody = z
  .object({
    /** Only this website's visitor; every website's when unset. */
    websiteId: z.string().min(1).max(255).optional(),
    visitorId: z.string().min(1).max(255).optional(),
    email: z.string().trim().min(1).max(320).optional(),
  })
  .strict()
  .refine((body) => (body.visitorId === undefined) !== (body.email === undefined), {
    message: "Give either visitorId or email",
    path: ["visitorId"],
  });
export type EraseVisitorInput = z.infer<typeof eraseVisitorBody>;

export type Erased = { visitors: number; events: number; issues: number; rejectedDeliveries: number };

/** The visitors a request names: by id, or by their identified email (any case). */
async function findTargets({ websiteId, visitorId, email }: EraseVisitorInput) {
  return db().$queryRaw<{ website_id: string; id: string; email: string | null }[]>`
    SELECT website_id, id, email FROM visitors
    WHERE (${websiteId ?? null}::text IS NULL OR website_id = ${websiteId ?? null})
      AND (id = ${visitorId ?? null} OR lower(email) = lower(${email ?? null}))
    ORDER BY website_id, id`;
}

/**
 * Rejected deliveries holding any of `values` as a JSON string (a visitor id or email as the
 * payload would carry it). They failed to parse, so their website is unknown: all are searched.
 */
async function eraseRejectedDeliveries(values: string[]): Promise<number> {
  if (values.length === 0) return 0;
  const needles = values.map((value) => JSON.stringify(value));
  return db().$executeRaw`
    DELETE FROM rejected_deliveries
    WHERE EXISTS (SELECT 1 FROM unnest(${needles}::text[]) AS n(needle) WHERE position(convert_to(needle, 'UTF8') IN body) > 0)`;
}

/**
 * Removes the visitor(s) a request names everywhere. Events stored while it runs are left (a
 * visitor who comes back is recorded again); run it again to remove those.
 */
export async function eraseVisitorData(input: EraseVisitorInput): Promise<Erased> {
  const targets = await findTargets(input);
  const newest = await db().$queryRaw<{ last: bigint | null }[]>`SELECT max(id) AS last FROM events`;
  const last = newest[0]?.last ?? 0n;
  const erased: Erased = { visitors: 0, events: 0, issues: 0, rejectedDeliveries: 0 };
  for (const target of targets) {
    const removed = await removeEvents(
      Prisma.sql`SELECT id FROM events WHERE website_id = ${target.website_id} AND visitor_id = ${target.id} AND id <= ${last} LIMIT ${BATCH_SIZE}`,
      "ingest's",
    );
    erased.events += removed.events;
    erased.issues += removed.issues;
    erased.visitors += removed.visitors;
  }
  const values = new Set(targets.flatMap((t) => (t.email ? [t.id, t.email] : [t.id])));
  if (input.visitorId) values.add(input.visitorId);
  if (input.email) values.add(input.email);
  erased.rejectedDeliveries = await eraseRejectedDeliveries([...values]);
  // Counts only: the point is to forget who it was.
  logger().info(erased, "visitor data erased");
  return erased;
}
