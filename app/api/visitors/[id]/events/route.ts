// GET /api/visitors/:id/events
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { visitorIdParam } from "@/lib/queries/get-visitor";
import { getVisitorEvents, visitorEventsQuery } from "@/lib/queries/get-visitor-events";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) =>
  getVisitorEvents(visitorIdParam.parse(params.id), parseQuery(request.url, visitorEventsQuery)),
);
