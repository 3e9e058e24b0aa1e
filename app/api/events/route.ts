// GET /api/events (format=csv|json downloads the events)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { eventsQuery, getEvents } from "@/lib/queries/get-events";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, eventsQuery);
  return exportable(request, "events", (cursor, exporting) => getEvents({ ...q, cursor, limit: exporting ? 1000 : q.limit }), {
    rows: (result) => result.events,
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
