// POST /api/visitors/erase
import { readJson } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { eraseVisitorBody, eraseVisitorData } from "@/lib/lifecycle/erase";

export const POST = apiRoute("admin", async ({ request }) => eraseVisitorData(await readJson(request, eraseVisitorBody)));
