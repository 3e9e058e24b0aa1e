// GET /api/stats/breakdown
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { breakdownQuery, getBreakdown } from "@/lib/queries/get-breakdown";

export const GET = apiRoute("viewer", async ({ request }) => getBreakdown(parseQuery(request.url, breakdownQuery)));
