// PATCH /api/websites/:id
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { renameWebsiteBody } from "@/lib/api/schemas";
import { renameWebsite } from "@/lib/websites/websites";

export const PATCH = apiRoute<{ id: string }>("admin", async ({ request, params }) => {
  const { name } = await readJson(request, renameWebsiteBody);
  return { website: await renameWebsite(params.id, name) };
});
