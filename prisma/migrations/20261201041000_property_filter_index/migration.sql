-- A `prop` filter (a typed custom property, `properties @> '{"plan_str": "pro"}'`) finds its
-- events from this index instead of reading every event of the range. Partial: only custom
-- events carry properties, so the other kinds cost ingest nothing here. jsonb_path_ops keeps
-- it small; it answers containment (@>), the only operator the filter uses. (Prisma's schema
-- does not describe it: a GIN partial index is kept here alone.)
CREATE INDEX IF NOT EXISTS "events_properties_idx" ON "events" USING GIN ("properties" jsonb_path_ops)
  WHERE "properties" IS NOT NULL;
