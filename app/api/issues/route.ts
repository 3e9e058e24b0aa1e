// GET /api/issues
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssues, issuesQuery } from "@/lib/queries/get-issues";

export const GET = apiRoute("viewer", async ({ request }) => getIssues(parseQuery(request.url, issuesQuery)));
