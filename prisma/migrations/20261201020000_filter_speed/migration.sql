-- Filter speed (issue #4): affected visitors per country as hourly presence bits (see
-- rollup_country_bits_1h in schema.prisma), and one URL template's events from an index.

-- CreateTable
CREATE TABLE "rollup_country_bits_1h" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "country_code" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "bits" BIT(4096) NOT NULL,

    CONSTRAINT "rollup_country_bits_1h_pkey" PRIMARY KEY ("website_id","bucket","country_code","chunk")
);

-- Backfill from the events already stored (ingest maintains it from now on), in key order.
INSERT INTO "rollup_country_bits_1h" ("website_id", "bucket", "country_code", "chunk", "bits")
SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), coalesce(e.country_code, ''), v.num / 4096,
  bit_or(B'1'::bit(4096) >> (v.num % 4096))
FROM "events" e JOIN "visitors" v ON v.website_id = e.website_id AND v.id = e.visitor_id
WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- A `url` filter (one URL template: failed requests only) reads that template's events, with
-- the columns the stats group by, from this index alone. Partial: only NetError events have a
-- template, so the other kinds cost ingest nothing here. (Prisma's schema names the index;
-- its predicate and INCLUDE columns live here.)
CREATE INDEX "events_website_id_url_template_occurred_at_idx" ON "events" ("website_id", "url_template", "occurred_at" DESC)
  INCLUDE ("kind", "country_code", "visitor_id", "issue_id")
  WHERE "url_template" IS NOT NULL;
