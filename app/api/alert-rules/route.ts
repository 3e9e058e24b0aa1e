// GET, POST /api/alert-rules
import { parseQuery } from "@/lib/api/params";
import { readJson } from "@/lib/api/request";
import { apiRoute, created } from "@/lib/api/route";
import { createRule, listRules, rulesQuery } from "@/lib/alerts/rules";
import { ruleInput } from "@/lib/alerts/types";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, rulesQuery);
  return { rules: await listRules(q.websiteId) };
});

export const POST = apiRoute("admin", async ({ request, principal }) => {
  const input = await readJson(request, ruleInput);
  return created({ rule: await createRule(input, principal.kind === "user" ? principal.userId : null) });
});
