// GET /api/me
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute("viewer", async ({ principal }) => ({ principal }));
