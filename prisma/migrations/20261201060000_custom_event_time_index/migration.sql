-- A `prop` filter over a short range finds a website's custom events in the range from this
-- index and checks their properties, instead of intersecting the range with every event the
-- GIN index holds for a common value (lossy past work_mem: seconds at 10 million events).
-- Partial: only custom events carry properties, so the other kinds cost ingest nothing here.
CREATE INDEX IF NOT EXISTS "events_custom_website_id_occurred_at_idx" ON "events"("website_id", "occurred_at" DESC)
  WHERE "properties" IS NOT NULL;
