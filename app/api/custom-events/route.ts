// GET /api/custom-events
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { customEventsQuery, getCustomEvents } from "@/lib/queries/get-custom-events";

export const GET = apiRoute("viewer", async ({ request }) => getCustomEvents(parseQuery(request.url, customEventsQuery)));
