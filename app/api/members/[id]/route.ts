// PATCH, DELETE /api/members/:id
import { readJson } from "@/lib/api/request";
import { apiRoute, noContent } from "@/lib/api/route";
import { changeRoleBody } from "@/lib/api/schemas";
import { changeMemberRole, removeMember } from "@/lib/auth/users";

type Params = { id: string };

export const PATCH = apiRoute<Params>("admin", async ({ request, params }) => {
  const { role } = await readJson(request, changeRoleBody);
  return { member: await changeMemberRole(params.id, role) };
});

export const DELETE = apiRoute<Params>("admin", async ({ params }) => {
  await removeMember(params.id);
  return noContent();
});
