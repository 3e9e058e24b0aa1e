// POST /api/invitations/accept
import { readJson } from "@/lib/api/request";
import { created, publicRoute } from "@/lib/api/route";
import { acceptInvitationBody } from "@/lib/api/schemas";
import { acceptInvitation } from "@/lib/auth/invitations";

export const POST = publicRoute(async ({ request }) => created({ user: await acceptInvitation(await readJson(request, acceptInvitationBody)) }));
