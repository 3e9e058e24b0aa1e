// GET /api/issues/:id/events
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue } from "@/lib/queries/get-issue";
import { getIssueEvents, issueEventsQuery } from "@/lib/queries/get-issue-events";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueEventsQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return getIssueEvents(issue.id, q);
});
