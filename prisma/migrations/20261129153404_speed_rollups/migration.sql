-- Affected visitors as per-hour presence bits (see rollup_visitor_bits_1h in schema.prisma).

-- AlterTable
ALTER TABLE "visitors" ADD COLUMN "num" SERIAL NOT NULL;

-- CreateTable
CREATE TABLE "rollup_visitor_bits_1h" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "chunk" INTEGER NOT NULL,
    "bits" BIT(4096) NOT NULL,

    CONSTRAINT "rollup_visitor_bits_1h_pkey" PRIMARY KEY ("website_id","bucket","chunk")
);

-- Backfill: the presence bits of the events already stored (ingest maintains them from now on).
INSERT INTO "rollup_visitor_bits_1h" ("website_id", "bucket", "chunk", "bits")
SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), v.num / 4096,
  bit_or(B'1'::bit(4096) >> (v.num % 4096))
FROM "events" e JOIN "visitors" v ON v.website_id = e.website_id AND v.id = e.visitor_id
WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')
GROUP BY 1, 2, 3
-- In key order, so each range's rows sit together on disk (as ingest, writing as time goes, leaves them).
ORDER BY 1, 2, 3;
