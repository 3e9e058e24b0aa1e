-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "websites" (
    "id" TEXT NOT NULL,
    "account_id" TEXT,
    "name" TEXT,
    "first_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "websites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visitors" (
    "website_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "params" JSONB NOT NULL DEFAULT '[]',
    "country_code" TEXT,
    "city" TEXT,
    "region" TEXT,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "visitors_pkey" PRIMARY KEY ("website_id","id")
);

-- CreateTable
CREATE TABLE "issues" (
    "id" BIGINT NOT NULL,
    "website_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "visitor_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "issues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issue_visitors" (
    "issue_id" BIGINT NOT NULL,
    "visitor_id" TEXT NOT NULL,

    CONSTRAINT "issue_visitors_pkey" PRIMARY KEY ("issue_id","visitor_id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "message_id" TEXT NOT NULL,
    "webhook_id" TEXT,
    "webhook_type" TEXT,
    "api_version" TEXT,
    "account_id" TEXT,
    "website_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3),
    "time_raw" DECIMAL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visitor_id" TEXT NOT NULL,
    "issue_id" BIGINT NOT NULL,
    "country_code" TEXT,
    "message" TEXT,
    "count" INTEGER,
    "method" TEXT,
    "url" TEXT,
    "url_template" TEXT,
    "status" INTEGER,
    "clicks" INTEGER,
    "name" TEXT,
    "properties" JSONB,
    "property_errors" JSONB,
    "raw" JSONB NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejected_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "details" JSONB,
    "content_type" TEXT,
    "body" BYTEA NOT NULL,

    CONSTRAINT "rejected_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "visitors_website_id_last_seen_idx" ON "visitors"("website_id", "last_seen" DESC);

-- CreateIndex
CREATE INDEX "issues_website_id_last_seen_idx" ON "issues"("website_id", "last_seen" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "issues_website_id_fingerprint_key" ON "issues"("website_id", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "events_message_id_key" ON "events"("message_id");

-- CreateIndex
CREATE INDEX "events_website_id_occurred_at_id_idx" ON "events"("website_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "events_issue_id_occurred_at_idx" ON "events"("issue_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "events_website_id_visitor_id_occurred_at_idx" ON "events"("website_id", "visitor_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "events_occurred_at_id_idx" ON "events"("occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "rejected_deliveries_received_at_idx" ON "rejected_deliveries"("received_at" DESC);

-- AddForeignKey
ALTER TABLE "websites" ADD CONSTRAINT "websites_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "websites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issues" ADD CONSTRAINT "issues_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "websites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issue_visitors" ADD CONSTRAINT "issue_visitors_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issues"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_website_id_fkey" FOREIGN KEY ("website_id") REFERENCES "websites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issues"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
