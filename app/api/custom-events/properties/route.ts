// GET /api/custom-events/properties
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { customEventPropertiesQuery, getCustomEventProperties } from "@/lib/queries/get-custom-event-properties";

export const GET = apiRoute("viewer", async ({ request }) => getCustomEventProperties(parseQuery(request.url, customEventPropertiesQuery)));
