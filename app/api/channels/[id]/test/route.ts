// POST /api/channels/:id/test
import { apiRoute } from "@/lib/api/route";
import { sendTestNotification } from "@/lib/notify/channels";

export const POST = apiRoute<{ id: string }>("admin", async ({ params }) => ({ result: await sendTestNotification(params.id) }));
