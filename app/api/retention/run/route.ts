// POST /api/retention/run
import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/route";
import { runRetention } from "@/lib/lifecycle/retention";

export const POST = apiRoute("admin", async () => {
  const run = await runRetention();
  if (!run) throw new ApiError("conflict", "A retention run is already in progress.");
  return { run };
});
