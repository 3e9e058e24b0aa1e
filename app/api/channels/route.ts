// GET, POST /api/channels
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { createChannel, createChannelBody, listChannels } from "@/lib/notify/channels";

export const GET = apiRoute("viewer", async () => listChannels());

export const POST = apiRoute("admin", async ({ request }) => created(await createChannel(await readJson(request, createChannelBody))));
