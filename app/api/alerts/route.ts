// GET /api/alerts
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { alertsQuery, getAlerts } from "@/lib/queries/get-alerts";

export const GET = apiRoute("viewer", async ({ request, principal }) => {
  const q = parseQuery(request.url, alertsQuery);
  return getAlerts(q, principal.kind === "user" ? principal.userId : null);
});
