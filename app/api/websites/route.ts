// GET, POST /api/websites
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { addWebsiteBody } from "@/lib/api/schemas";
import { addWebsite, listWebsites } from "@/lib/websites/websites";

export const GET = apiRoute("viewer", async () => ({ websites: await listWebsites() }));

export const POST = apiRoute("admin", async ({ request }) => created({ website: await addWebsite(await readJson(request, addWebsiteBody)) }));
