// POST /api/websites/:id/secret
import { apiRoute } from "@/lib/api/route";
import { rotateWebsiteSecret } from "@/lib/websites/websites";

export const POST = apiRoute<{ id: string }>("admin", async ({ params }) => rotateWebsiteSecret(params.id));
