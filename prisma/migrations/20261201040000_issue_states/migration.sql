-- Issue states (issue #6): each issue's state, assignee, merges, comments and activity log.

-- AlterTable
ALTER TABLE "issues"
  ADD COLUMN "status" TEXT NOT NULL DEFAULT 'open',
  ADD COLUMN "ignore_kind" TEXT,
  ADD COLUMN "ignore_until" TIMESTAMPTZ(3),
  ADD COLUMN "ignore_until_events" INTEGER,
  ADD COLUMN "status_changed_at" TIMESTAMPTZ(3),
  ADD COLUMN "assignee_id" TEXT;

ALTER TABLE "issues" ADD CONSTRAINT "issues_status_check" CHECK ("status" IN ('open', 'resolved', 'ignored', 'regressed'));
ALTER TABLE "issues" ADD CONSTRAINT "issues_ignore_check" CHECK (
  ("status" = 'ignored') = ("ignore_kind" IS NOT NULL)
  AND ("ignore_kind" IS NULL OR "ignore_kind" IN ('forever', 'until', 'events'))
  AND (("ignore_kind" = 'until') = ("ignore_until" IS NOT NULL))
  AND (("ignore_kind" = 'events') = ("ignore_until_events" IS NOT NULL)));

-- CreateTable
CREATE TABLE "issue_merges" (
    "source_issue_id" BIGINT NOT NULL,
    "target_issue_id" BIGINT NOT NULL,
    "merged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "issue_merges_pkey" PRIMARY KEY ("source_issue_id"),
    CONSTRAINT "issue_merges_check" CHECK ("source_issue_id" <> "target_issue_id")
);

-- CreateTable
CREATE TABLE "issue_comments" (
    "id" BIGSERIAL NOT NULL,
    "issue_id" BIGINT NOT NULL,
    "author_id" TEXT,
    "author_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,

    CONSTRAINT "issue_comments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "issue_comments_body_check" CHECK (char_length("body") BETWEEN 1 AND 2000)
);

-- CreateTable
CREATE TABLE "issue_activity" (
    "id" BIGSERIAL NOT NULL,
    "issue_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL,

    CONSTRAINT "issue_activity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "issues_website_id_status_idx" ON "issues"("website_id", "status");
CREATE INDEX "issue_merges_target_issue_id_idx" ON "issue_merges"("target_issue_id");
CREATE INDEX "issue_comments_issue_id_created_at_idx" ON "issue_comments"("issue_id", "created_at");
CREATE INDEX "issue_activity_issue_id_at_idx" ON "issue_activity"("issue_id", "at");

-- AddForeignKey
ALTER TABLE "issues" ADD CONSTRAINT "issues_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "issue_merges" ADD CONSTRAINT "issue_merges_source_issue_id_fkey" FOREIGN KEY ("source_issue_id") REFERENCES "issues"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "issue_merges" ADD CONSTRAINT "issue_merges_target_issue_id_fkey" FOREIGN KEY ("target_issue_id") REFERENCES "issues"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issues"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "issue_comments" ADD CONSTRAINT "issue_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "issue_activity" ADD CONSTRAINT "issue_activity_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issues"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "issue_activity" ADD CONSTRAINT "issue_activity_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
