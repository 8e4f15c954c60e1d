-- Rate limits move to rate-limiter-flexible's PostgreSQL store (issue 9): atomic counters the
-- library keeps in its own table layout, created here because the runtime role cannot CREATE
-- tables (the library is told the table exists). The hand-written fixed-window buckets go.
-- Authored with `prisma migrate diff` from the previous schema.
-- DropTable
DROP TABLE "rate_limit_bucket";

-- CreateTable
CREATE TABLE "rate_limiter" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limiter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limiter_expire_idx" ON "rate_limiter"("expire");


-- The runtime role counts (upsert), reads, and clears expired and reset keys (delete).
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limiter" TO dueprocess_runtime;
