// GET /api/custom-events (format=csv|json downloads the list)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { customEventExportRows, customEventsQuery, getCustomEvents } from "@/lib/queries/get-custom-events";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, customEventsQuery);
  return exportable(request, "custom-events", (cursor, exporting) => getCustomEvents({ ...q, cursor, limit: exporting ? 100 : q.limit }), {
    rows: customEventExportRows,
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
