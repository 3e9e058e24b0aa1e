// GET /api/visitors/:id/issues (format=csv|json downloads the list)
import { exportable } from "@/lib/api/export";
import { apiRoute } from "@/lib/api/route";
import { visitorIdParam } from "@/lib/queries/get-visitor";
import { getVisitorIssues, visitorIssuesQuery } from "@/lib/queries/get-visitor-issues";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const id = visitorIdParam.parse(params.id);
  const q = visitorIssuesQuery.parse({ ...Object.fromEntries(new URL(request.url).searchParams), visitorId: id });
  return exportable(request, "visitor-issues", (cursor, exporting) => getVisitorIssues(id, { ...q, cursor, limit: exporting ? 100 : q.limit }), {
    rows: (result) => result.issues.map(({ sparkline: _, ...issue }) => issue),
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
