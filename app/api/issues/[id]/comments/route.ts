// GET, POST /api/issues/:id/comments
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { commentBody } from "@/lib/issues/states";
import { actorOf, addComment } from "@/lib/issues/triage";
import { getIssueComments } from "@/lib/queries/get-issue-activity";
import { requireIssue } from "@/lib/queries/get-issue";

export const GET = apiRoute<{ id: string }>("viewer", async ({ params }) => {
  const issue = await requireIssue(params.id);
  return { comments: await getIssueComments(issue.id) };
});

export const POST = apiRoute<{ id: string }>("member", async ({ request, params, principal }) => {
  const issue = await requireIssue(params.id);
  const { body } = await readJson(request, commentBody);
  return created({ comment: await addComment(issue.id, body, actorOf(principal)) });
});
