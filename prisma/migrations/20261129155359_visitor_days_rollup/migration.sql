-- Events per visitor and span of days, a column per kind (see rollup_visitor_days in schema.prisma).

-- CreateTable
CREATE TABLE "rollup_visitor_days" (
    "website_id" TEXT NOT NULL,
    "days" SMALLINT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "visitor_num" INTEGER NOT NULL,
    "js_errors" INTEGER NOT NULL DEFAULT 0,
    "net_errors" INTEGER NOT NULL DEFAULT 0,
    "error_clicks" INTEGER NOT NULL DEFAULT 0,
    "rage_clicks" INTEGER NOT NULL DEFAULT 0,
    "custom_events" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rollup_visitor_days_pkey" PRIMARY KEY ("website_id","days","bucket","visitor_num")
);

-- Backfill from the daily visitor rollup (days nest in epoch-aligned weeks); ingest maintains it from now on.
INSERT INTO "rollup_visitor_days" ("website_id", "days", "bucket", "visitor_num", "js_errors", "net_errors", "error_clicks", "rage_clicks", "custom_events")
SELECT r.website_id, s.days, date_bin(make_interval(days => s.days), r.bucket, 'epoch'::timestamptz), v.num,
  coalesce(sum(r.events) FILTER (WHERE r.kind = 'JSError'), 0), coalesce(sum(r.events) FILTER (WHERE r.kind = 'NetError'), 0),
  coalesce(sum(r.events) FILTER (WHERE r.kind = 'ErrorClick'), 0), coalesce(sum(r.events) FILTER (WHERE r.kind = 'RageClick'), 0),
  coalesce(sum(r.events) FILTER (WHERE r.kind = 'Custom'), 0)
FROM "rollup_visitor_1d" r
JOIN "visitors" v ON v.website_id = r.website_id AND v.id = r.visitor_id
CROSS JOIN (VALUES (1), (7)) AS s(days)
WHERE r.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick', 'Custom')
GROUP BY 1, 2, 3, 4
-- In key order, so each range's rows sit together on disk (as ingest, writing as time goes, leaves them).
ORDER BY 1, 2, 3, 4;
