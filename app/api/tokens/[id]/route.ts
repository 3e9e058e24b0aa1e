// DELETE /api/tokens/:id
import { apiRoute, noContent } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/auth/tokens";

export const DELETE = apiRoute<{ id: string }>("admin", async ({ params }) => {
  await revokeApiToken(params.id);
  return noContent();
});
