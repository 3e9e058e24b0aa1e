-- Events per issue and UTC day (see rollup_issue_1d in schema.prisma).

-- CreateTable
CREATE TABLE "rollup_issue_1d" (
    "issue_id" BIGINT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "website_id" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "rollup_issue_1d_pkey" PRIMARY KEY ("issue_id","bucket")
);

-- CreateIndex
CREATE INDEX "rollup_issue_1d_website_id_bucket_issue_id_events_idx" ON "rollup_issue_1d"("website_id", "bucket", "issue_id", "events");

-- Backfill from the hourly rollup (hours nest in UTC days); ingest maintains it from now on.
INSERT INTO "rollup_issue_1d" ("issue_id", "bucket", "website_id", "events")
SELECT issue_id, date_bin('1 day', bucket, 'epoch'::timestamptz), website_id, sum(events)::int
FROM "rollup_issue_1h" GROUP BY 1, 2, 3
-- In time order, so each range's rows sit together on disk (as ingest, writing as time goes, leaves them).
ORDER BY 2, 1;
