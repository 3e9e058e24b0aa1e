// POST /api/issues/bulk
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { bulkBody } from "@/lib/issues/states";
import { actorOf, bulkUpdateIssues } from "@/lib/issues/triage";

export const POST = apiRoute("member", async ({ request, principal }) => {
  const input = await readJson(request, bulkBody);
  return bulkUpdateIssues(input, actorOf(principal));
});
