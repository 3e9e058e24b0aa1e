// GET /api/issues/:id/urls (format=csv|json downloads the rows)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue } from "@/lib/queries/get-issue";
import { getIssueUrls, issueUrlsQuery } from "@/lib/queries/get-issue-urls";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueUrlsQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return exportable(request, `issue-${issue.id}-urls`, () => getIssueUrls(issue.id, q), { rows: (result) => result.rows });
});
