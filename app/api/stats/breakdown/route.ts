// GET /api/stats/breakdown (format=csv|json downloads the rows, "other" last)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { breakdownQuery, getBreakdown, OTHER } from "@/lib/queries/get-breakdown";

export const GET = apiRoute("viewer", async ({ request }) => {
  const q = parseQuery(request.url, breakdownQuery);
  return exportable(request, `breakdown-by-${q.by}`, () => getBreakdown(q), {
    rows: (result) => [
      ...result.rows.map((row) => ({ [result.by]: row.key, label: row.label, events: row.events, byKind: row.byKind })),
      { [result.by]: OTHER, label: "Other", events: result.other.events, byKind: result.other.byKind },
    ],
  });
});
