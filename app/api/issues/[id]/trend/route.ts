// GET /api/issues/:id/trend (format=csv|json downloads the points)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue, issueRangeQuery } from "@/lib/queries/get-issue";
import { getIssueTrend } from "@/lib/queries/get-issue-trend";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueRangeQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return exportable(request, `issue-${issue.id}-trend`, () => getIssueTrend(issue.id, q), { rows: (result) => result.points });
});
