// GET /api/urls/:id (id: a URL template, base64url-encoded, as GET /api/urls gives it)
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getUrlDetail, urlQuery } from "@/lib/queries/get-urls-detail";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => getUrlDetail(params.id, parseQuery(request.url, urlQuery)));
