-- CreateTable
CREATE TABLE "rollup_kind_15m" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "rollup_kind_15m_pkey" PRIMARY KEY ("website_id","bucket","kind")
);

-- CreateTable
CREATE TABLE "rollup_country_1h" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "country_code" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "rollup_country_1h_pkey" PRIMARY KEY ("website_id","bucket","kind","country_code")
);

-- CreateTable
CREATE TABLE "rollup_issue_1h" (
    "issue_id" BIGINT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "website_id" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "rollup_issue_1h_pkey" PRIMARY KEY ("issue_id","bucket")
);

-- CreateTable
CREATE TABLE "rollup_visitor_1d" (
    "website_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "rollup_visitor_1d_pkey" PRIMARY KEY ("website_id","bucket","visitor_id","kind")
);

-- CreateIndex
CREATE INDEX "rollup_issue_1h_website_id_bucket_idx" ON "rollup_issue_1h"("website_id", "bucket");
