// Events per issue over an hour-aligned range, from the daily issue rollup for the whole UTC
// days inside it and the hourly one for the hours at either end: a 30-day range reads ~31
// rows per issue instead of ~720, with the same counts.
import { Prisma } from "../generated/prisma/client";
import { splitDays, type Range } from "./range";

/** (issue_id, events) rows (several per issue) of a website's issues over `range` (whole hours). */
export function issueEventsSql(websiteId: string, range: Range, issueId: string | null = null): Prisma.Sql {
  const { days, hours } = splitDays(range);
  const only = (column: string) => (issueId === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(column)} = ${issueId}::bigint`);
  return Prisma.sql`
    SELECT issue_id, events FROM rollup_issue_1d
    WHERE website_id = ${websiteId} AND bucket >= ${days.from} AND bucket < ${days.to} ${only("issue_id")}
    UNION ALL
    SELECT issue_id, events FROM rollup_issue_1h
    WHERE website_id = ${websiteId} ${only("issue_id")}
      AND ((bucket >= ${hours[0].from} AND bucket < ${hours[0].to}) OR (bucket >= ${hours[1].from} AND bucket < ${hours[1].to}))`;
}
