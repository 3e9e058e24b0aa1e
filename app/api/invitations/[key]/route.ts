// GET /api/invitations/:token (public), DELETE /api/invitations/:id
import { apiRoute, noContent, publicRoute } from "@/lib/api/route";
import { describeInvitation, revokeInvitation } from "@/lib/auth/invitations";

type Params = { key: string };

export const GET = publicRoute<Params>(async ({ params }) => describeInvitation(params.key));

export const DELETE = apiRoute<Params>("admin", async ({ params }) => {
  await revokeInvitation(params.key);
  return noContent();
});
