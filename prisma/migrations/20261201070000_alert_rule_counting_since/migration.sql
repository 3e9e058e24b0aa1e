-- Since when a rule's counters hold every matching event: its creation, or the last time it was
-- enabled again or its scope, condition, window or website changed (its counts are then
-- cleared). A spike's baseline counts only windows from then, so a pause is not taken for quiet.
ALTER TABLE "alert_rules" ADD COLUMN "counting_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "alert_rules" SET "counting_since" = "created_at";
