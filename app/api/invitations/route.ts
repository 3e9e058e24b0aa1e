// GET, POST /api/invitations
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { createInvitationBody } from "@/lib/api/schemas";
import { createInvitation, listInvitations } from "@/lib/auth/invitations";

export const GET = apiRoute("admin", async () => ({ invitations: await listInvitations() }));

export const POST = apiRoute("admin", async ({ request, principal }) => {
  const body = await readJson(request, createInvitationBody);
  const createdById = principal.kind === "user" ? principal.userId : null;
  return created(await createInvitation({ ...body, createdById }));
});
