// GET /api/issues/:id
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue, issueQuery } from "@/lib/queries/get-issue";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueQuery);
  return { issue: await getIssue(params.id, q.websiteId) };
});
