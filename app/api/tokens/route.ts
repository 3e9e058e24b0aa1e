// GET, POST /api/tokens
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { createTokenBody } from "@/lib/api/schemas";
import { createApiToken, listApiTokens } from "@/lib/auth/tokens";

export const GET = apiRoute("admin", async () => ({ tokens: await listApiTokens() }));

export const POST = apiRoute("admin", async ({ request, principal }) => {
  const body = await readJson(request, createTokenBody);
  return created(await createApiToken({ ...body, createdById: principal.kind === "user" ? principal.userId : null }));
});
