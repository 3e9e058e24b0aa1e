// GET /api/issues/:id/events (format=csv|json downloads every page)
import { exportable } from "@/lib/api/export";
import { parseQuery } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getIssue } from "@/lib/queries/get-issue";
import { getIssueEvents, issueEventsQuery } from "@/lib/queries/get-issue-events";

export const GET = apiRoute<{ id: string }>("viewer", async ({ request, params }) => {
  const q = parseQuery(request.url, issueEventsQuery);
  const issue = await getIssue(params.id, q.websiteId);
  return exportable(request, `issue-${issue.id}-events`, (cursor, exporting) => getIssueEvents(issue.id, { ...q, cursor, limit: exporting ? 100 : q.limit }), {
    // Properties and other fields stay whole (one JSON cell each), not one column per key.
    rows: (result) =>
      result.events.map(({ properties, propertyErrors, extra, ...event }) => ({
        ...event,
        properties: properties == null ? null : JSON.stringify(properties),
        propertyErrors: propertyErrors == null ? null : JSON.stringify(propertyErrors),
        extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
      })),
    next: (result) => result.nextCursor,
    cursor: q.cursor,
  });
});
