// GET /api/events
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { eventsQuery, getEvents } from "@/lib/queries/get-events";

export const GET = apiRoute("viewer", async ({ request }) => getEvents(parseQuery(request.url, eventsQuery)));
