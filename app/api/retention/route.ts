// GET /api/retention
import { apiRoute } from "@/lib/api/route";
import { getRetentionStatus } from "@/lib/lifecycle/retention";

export const GET = apiRoute("admin", async () => getRetentionStatus());
