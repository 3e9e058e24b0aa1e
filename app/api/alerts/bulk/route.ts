// POST /api/alerts/bulk
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { alertBulkBody, bulkUpdateAlerts } from "@/lib/alerts/triage";
import { actorOf } from "@/lib/issues/triage";

export const POST = apiRoute("member", async ({ request, principal }) => {
  const input = await readJson(request, alertBulkBody);
  return bulkUpdateAlerts(input, actorOf(principal));
});
