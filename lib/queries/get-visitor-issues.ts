import { getIssues, issuesQuery, type IssuesQuery } from "./get-issues";
import { requireVisitor } from "./get-visitor";

/**
 * The issues a visitor hit in the range: GET /api/issues narrowed to the visitor (counted from
 * raw events with the exact bounds). `events` is this visitor's count in the range;
 * `totalEvents` and `visitors` are the issue's all-time figures. 404 for an unknown visitor.
 */
export const visitorIssuesQuery = issuesQuery;

export async function getVisitorIssues(id: string, q: IssuesQuery) {
  await requireVisitor(q.websiteId, id);
  return getIssues({ ...q, visitorId: id });
}
