// GET, PATCH /api/alerts/:id
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { alertChangeBody, updateAlert } from "@/lib/alerts/triage";
import { actorOf } from "@/lib/issues/triage";
import { getAlert } from "@/lib/queries/get-alert";

export const GET = apiRoute<{ id: string }>("viewer", async ({ params }) => ({ alert: await getAlert(params.id) }));

export const PATCH = apiRoute<{ id: string }>("member", async ({ request, params, principal }) => {
  const { id } = await getAlert(params.id);
  const input = await readJson(request, alertChangeBody);
  await updateAlert(id, input, actorOf(principal));
  return { alert: await getAlert(id) };
});
