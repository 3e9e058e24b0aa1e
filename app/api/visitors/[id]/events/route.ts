// GET /api/visitors/:id/events (format=csv|json downloads the timeline)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { visitorIdParam } from "@/lib/queries/get-visitor";
import { getVisitorEvents, visitorEventsQuery } from "@/lib/queries/get-visitor-events";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const id = visitorIdParam.parse(params.id);
  const q = parseQuery(request.url, visitorEventsQuery);
  return exportable(request, "visitor-events", (cursor, exporting) => getVisitorEvents(id, { ...q, cursor, limit: exporting ? 100 : q.limit }), {
    rows: (result) => result.events,
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
