// GET /api/issues/:id/correlations
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue } from "@/lib/queries/get-issue";
import { getIssueCorrelations, issueCorrelationsQuery } from "@/lib/queries/get-issue-correlations";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueCorrelationsQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return getIssueCorrelations(issue.id, q);
});
