// GET /api/stats/totals
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getTotals, totalsQuery } from "@/lib/queries/get-totals";

export const GET = apiRoute("viewer", async ({ request }) => getTotals(parseQuery(request.url, totalsQuery)));
