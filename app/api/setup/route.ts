// POST /api/setup
import { readJson } from "@/lib/api/request";
import { created, publicRoute } from "@/lib/api/route";
import { setupBody } from "@/lib/api/schemas";
import { setupOwner } from "@/lib/auth/users";

export const POST = publicRoute(async ({ request }) => created({ user: await setupOwner(await readJson(request, setupBody)) }));
