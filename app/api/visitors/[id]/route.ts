// GET /api/visitors/:id
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getVisitor, visitorIdParam, visitorQuery } from "@/lib/queries/get-visitor";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) =>
  getVisitor(visitorIdParam.parse(params.id), parseQuery(request.url, visitorQuery)),
);
