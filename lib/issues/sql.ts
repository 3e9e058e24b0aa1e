import { Prisma } from "../generated/prisma/client";
import type { IssueStatus } from "./states";

/**
 * The state an issue shows, as SQL over its row `i`: an ignore until a time that has passed
 * shows as open (the stored row changes with the issue's next event).
 */
export function shownStatusSql(i: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${i}.${name}`);
  return Prisma.sql`(CASE WHEN ${col("status")} = 'ignored' AND ${col("ignore_kind")} = 'until' AND ${col("ignore_until")} <= now() THEN 'open' ELSE ${col("status")} END)`;
}

/** The columns every issue query reads: the row, its shown status, and its assignee's name. */
export type IssueRowColumns = {
  id: string;
  kind: string;
  title: string;
  first_seen: Date;
  last_seen: Date;
  event_count: number;
  visitor_count: number;
  status: IssueStatus;
  assignee_id: string | null;
  assignee_name: string | null;
};
