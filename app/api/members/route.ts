// GET /api/members
import { apiRoute } from "@/lib/api/route";
import { listMembers } from "@/lib/auth/users";

export const GET = apiRoute("admin", async () => ({ members: await listMembers() }));
