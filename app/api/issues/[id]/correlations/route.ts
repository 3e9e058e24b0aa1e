// GET /api/issues/:id/correlations (format=csv|json downloads the params)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue } from "@/lib/queries/get-issue";
import { getIssueCorrelations, issueCorrelationsQuery } from "@/lib/queries/get-issue-correlations";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueCorrelationsQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return exportable(request, `issue-${issue.id}-correlations`, () => getIssueCorrelations(issue.id, q), { rows: (result) => result.params });
});
