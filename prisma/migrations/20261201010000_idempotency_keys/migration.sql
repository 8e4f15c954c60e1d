-- Idempotency keys scoped to their owner and operation, with the hash of the request they first
-- carried (issue 9, part 3). The runtime only inserts and reads them.
CREATE TABLE "idempotency_key" (
    "scope" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("scope")
);

GRANT SELECT, INSERT ON "idempotency_key" TO dueprocess_runtime;
