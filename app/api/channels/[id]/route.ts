// GET, PATCH, DELETE /api/channels/:id
import { readJson } from "@/lib/api/request";
import { apiRoute, noContent } from "@/lib/api/route";
import { deleteChannel, getChannel, updateChannel, updateChannelBody } from "@/lib/notify/channels";

export const GET = apiRoute<{ id: string }>("viewer", async ({ params }) => ({ channel: await getChannel(params.id) }));

export const PATCH = apiRoute<{ id: string }>("admin", async ({ request, params }) => ({
  channel: await updateChannel(params.id, await readJson(request, updateChannelBody)),
}));

export const DELETE = apiRoute<{ id: string }>("admin", async ({ params }) => {
  await deleteChannel(params.id);
  return noContent();
});
