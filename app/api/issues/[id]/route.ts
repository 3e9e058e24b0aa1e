// GET, PATCH /api/issues/:id
import { parseQuery } from "@/lib/api/params";
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { updateIssueBody } from "@/lib/issues/states";
import { actorOf, updateIssue } from "@/lib/issues/triage";
import { findIssue, getIssue, issueQuery, requireIssue } from "@/lib/queries/get-issue";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueQuery);
  return { issue: await getIssue(params.id, q.websiteId) };
});

export const PATCH = apiRoute<{ id: string }>("member", async ({ request, params, principal }) => {
  const { id } = await requireIssue(params.id);
  const input = await readJson(request, updateIssueBody);
  await updateIssue(id, input, actorOf(principal));
  return { issue: await findIssue(id) };
});
