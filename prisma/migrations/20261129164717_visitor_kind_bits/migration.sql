-- Affected visitors per kind as per-hour presence bits (see rollup_visitor_kind_bits_1h in schema.prisma).

-- CreateTable
CREATE TABLE "rollup_visitor_kind_bits_1h" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "bits" BIT(4096) NOT NULL,

    CONSTRAINT "rollup_visitor_kind_bits_1h_pkey" PRIMARY KEY ("website_id","bucket","kind","chunk")
);

-- Backfill from the events already stored (ingest maintains it from now on), in key order.
INSERT INTO "rollup_visitor_kind_bits_1h" ("website_id", "bucket", "kind", "chunk", "bits")
SELECT e.website_id, date_bin('1 hour', e.occurred_at, 'epoch'::timestamptz), e.kind, v.num / 4096,
  bit_or(B'1'::bit(4096) >> (v.num % 4096))
FROM "events" e JOIN "visitors" v ON v.website_id = e.website_id AND v.id = e.visitor_id
WHERE e.kind IN ('JSError', 'NetError', 'ErrorClick', 'RageClick')
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;
