// GET /api/events
import { errorResponse } from "@/lib/api/errors";
import { parseQuery } from "@/lib/api/params";
import { eventsQuery, getEvents } from "@/lib/queries/get-events";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(request.url, eventsQuery);
    return Response.json(await getEvents(query));
  } catch (error) {
    return errorResponse(error, "query");
  }
}
