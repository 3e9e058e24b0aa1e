// GET /api/visitors
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getVisitors, visitorsQuery } from "@/lib/queries/get-visitors";

export const GET = apiRoute("viewer", async ({ request }) => getVisitors(parseQuery(request.url, visitorsQuery)));
