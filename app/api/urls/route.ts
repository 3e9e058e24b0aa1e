// GET /api/urls (format=csv|json downloads the list)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getUrls, urlExportRows, urlsQuery } from "@/lib/queries/get-urls";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, urlsQuery);
  return exportable(request, "urls", (cursor, exporting) => getUrls({ ...q, cursor, limit: exporting ? 100 : q.limit }), {
    rows: urlExportRows,
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
