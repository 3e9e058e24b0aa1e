import { Prisma } from "../generated/prisma/client";

/**
 * The state an issue shows, as SQL over its row `i`: an ignore until a time that has passed
 * shows as open (the stored row changes with the next event).
 */
export function shownStatusSql(i: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${i}.${name}`);
  return Prisma.sql`(CASE WHEN ${col("status")} = 'ignored' AND ${col("ignore_kind")} = 'until' AND ${col("ignore_until")} <= now() THEN 'open' ELSE ${col("status")} END)`;
}
