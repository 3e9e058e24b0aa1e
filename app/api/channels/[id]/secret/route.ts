// POST /api/channels/:id/secret
import { apiRoute } from "@/lib/api/route";
import { revealChannelSecret } from "@/lib/notify/channels";

export const POST = apiRoute<{ id: string }>("admin", async ({ params }) => revealChannelSecret(params.id));
