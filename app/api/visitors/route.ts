// GET /api/visitors (format=csv|json downloads the list)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getVisitors, visitorsQuery } from "@/lib/queries/get-visitors";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, visitorsQuery);
  return exportable(request, "visitors", (cursor, exporting) => getVisitors({ ...q, cursor, limit: exporting ? 100 : q.limit }), {
    rows: (result) => result.visitors,
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
