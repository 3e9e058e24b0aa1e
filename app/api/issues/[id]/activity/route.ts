// GET /api/issues/:id/activity
import { apiRoute } from "@/lib/api/route";
import { getIssueActivity } from "@/lib/queries/get-issue-activity";
import { requireIssue } from "@/lib/queries/get-issue";

export const GET = apiRoute<{ id: string }>("viewer", async ({ params }) => {
  const issue = await requireIssue(params.id);
  return { activity: await getIssueActivity(issue.id) };
});
