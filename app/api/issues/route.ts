// GET /api/issues (format=csv|json downloads the list)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssues, issuesQuery } from "@/lib/queries/get-issues";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, issuesQuery);
  return exportable(request, "issues", (cursor, exporting) => getIssues({ ...q, cursor, limit: exporting ? 100 : q.limit }), {
    // Flat rows (CSV has no nesting): the assignee as id and name.
    rows: (result) =>
      result.issues.map(({ sparkline: _, assignee, ...issue }) => ({ ...issue, assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null })),
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
