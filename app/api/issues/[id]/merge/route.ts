// POST /api/issues/:id/merge
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { mergeBody } from "@/lib/issues/states";
import { actorOf, mergeIssue } from "@/lib/issues/triage";
import { findIssue, requireIssue } from "@/lib/queries/get-issue";

export const POST = apiRoute<{ id: string }>("member", async ({ request, params, principal }) => {
  const { id } = await requireIssue(params.id);
  const { targetId } = await readJson(request, mergeBody);
  await mergeIssue(id, targetId, actorOf(principal));
  return { issue: await findIssue(id) };
});
