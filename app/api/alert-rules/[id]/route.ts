// GET, PATCH, DELETE /api/alert-rules/:id
import { readJson } from "@/lib/api/request";
import { apiRoute, noContent } from "@/lib/api/route";
import { deleteRule, getRule, ruleChangeBody, updateRule } from "@/lib/alerts/rules";
import { actorOf } from "@/lib/issues/triage";

export const GET = apiRoute<{ id: string }>("viewer", async ({ params }) => ({ rule: await getRule(params.id) }));

export const PATCH = apiRoute<{ id: string }>("admin", async ({ request, params, principal }) => {
  const change = await readJson(request, ruleChangeBody);
  return { rule: await updateRule(params.id, change, actorOf(principal)) };
});

export const DELETE = apiRoute<{ id: string }>("admin", async ({ params }) => {
  await deleteRule(params.id);
  return noContent();
});
