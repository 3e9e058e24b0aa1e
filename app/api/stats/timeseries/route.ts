// GET /api/stats/timeseries
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getTimeseries, timeseriesQuery } from "@/lib/queries/get-timeseries";

export const GET = apiRoute("viewer", async ({ request }) => getTimeseries(parseQuery(request.url, timeseriesQuery)));
