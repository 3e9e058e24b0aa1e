// GET /api/urls
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getUrls, urlsQuery } from "@/lib/queries/get-urls";

export const GET = apiRoute("viewer", async ({ request }) => getUrls(parseQuery(request.url, urlsQuery)));
