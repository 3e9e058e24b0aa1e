// GET /api/visitors/:id/issues
import { apiRoute } from "@/lib/api/route";
import { visitorIdParam } from "@/lib/queries/get-visitor";
import { getVisitorIssues } from "@/lib/queries/get-visitor-issues";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) =>
  getVisitorIssues(visitorIdParam.parse(params.id), Object.fromEntries(new URL(request.url).searchParams)),
);
