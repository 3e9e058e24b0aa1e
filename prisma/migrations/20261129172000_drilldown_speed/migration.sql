-- Drill-down speed (issue #4): covering indexes for one issue's and one visitor's events, and
-- each issue's visitors as bits (see issue_visitor_bits in schema.prisma).

-- One issue's events (issue page breakdowns, URL page, failing endpoints' newest request)
-- read the columns they use from the index alone instead of one heap page per event. Same
-- key as before; rebuilt only when it is not this covering index yet.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'events_issue_id_occurred_at_idx'
      AND indexdef LIKE '%INCLUDE (website_id, kind, visitor_id, country_code, method, url_template, status, url, id)') THEN
    DROP INDEX IF EXISTS "events_issue_id_occurred_at_idx";
    CREATE INDEX "events_issue_id_occurred_at_idx" ON "events" ("issue_id", "occurred_at" DESC)
      INCLUDE ("website_id", "kind", "visitor_id", "country_code", "method", "url_template", "status", "url", "id");
  END IF;
END $$;

-- One visitor's events per kind and issue (visitor page, the visitor's issues).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'events_website_id_visitor_id_occurred_at_idx' AND indexdef LIKE '%INCLUDE%') THEN
    DROP INDEX IF EXISTS "events_website_id_visitor_id_occurred_at_idx";
    CREATE INDEX "events_website_id_visitor_id_occurred_at_idx" ON "events" ("website_id", "visitor_id", "occurred_at" DESC)
      INCLUDE ("kind", "issue_id", "country_code");
  END IF;
END $$;

-- CreateTable
CREATE TABLE "issue_visitor_bits" (
    "issue_id" BIGINT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "bits" BIT(4096) NOT NULL,

    CONSTRAINT "issue_visitor_bits_pkey" PRIMARY KEY ("issue_id","chunk")
);

-- Backfill from issue_visitors (ingest maintains it from now on), in key order.
INSERT INTO "issue_visitor_bits" ("issue_id", "chunk", "bits")
SELECT iv.issue_id, v.num / 4096, bit_or(B'1'::bit(4096) >> (v.num % 4096))
FROM "issue_visitors" iv
JOIN "issues" i ON i.id = iv.issue_id
JOIN "visitors" v ON v.website_id = i.website_id AND v.id = iv.visitor_id
GROUP BY 1, 2
ORDER BY 1, 2;

-- Issues' hours read by issue (sparklines, trends of a few issues) from the index alone: the
-- rows are stored in time order, so each issue's hours are otherwise one heap page each.
CREATE INDEX IF NOT EXISTS "rollup_issue_1h_issue_id_bucket_events_idx" ON "rollup_issue_1h" ("issue_id", "bucket") INCLUDE ("events");
