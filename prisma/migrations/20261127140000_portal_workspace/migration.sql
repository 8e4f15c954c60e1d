-- AlterTable
ALTER TABLE "opinion" ADD COLUMN     "hidden_at" TIMESTAMPTZ(3),
ADD COLUMN     "hidden_by" TEXT,
ADD COLUMN     "hidden_reason" TEXT,
ADD COLUMN     "text_hash" TEXT,
ADD COLUMN     "verified_via" TEXT;

-- CreateTable
CREATE TABLE "moderation_action" (
    "id" TEXT NOT NULL,
    "opinion_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hearing_registration" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "procedure_id" TEXT NOT NULL DEFAULT 'main',
    "name" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "represents" TEXT NOT NULL,
    "statement" TEXT,
    "client_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'registered',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hearing_registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_code" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "destination_hash" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verification_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_credential" (
    "user_id" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_credential_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "staff_session" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_bucket" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key","window_start")
);

-- CreateIndex
CREATE INDEX "moderation_action_opinion_id_idx" ON "moderation_action"("opinion_id");

-- CreateIndex
CREATE INDEX "hearing_registration_decision_id_idx" ON "hearing_registration"("decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "hearing_registration_decision_id_procedure_id_client_key_key" ON "hearing_registration"("decision_id", "procedure_id", "client_key");

-- CreateIndex
CREATE INDEX "verification_code_decision_id_destination_hash_idx" ON "verification_code"("decision_id", "destination_hash");

-- CreateIndex
CREATE INDEX "staff_session_user_id_idx" ON "staff_session"("user_id");

-- CreateIndex
CREATE INDEX "opinion_window_id_text_hash_idx" ON "opinion"("window_id", "text_hash");


CREATE TRIGGER moderation_action_append_only BEFORE UPDATE OR DELETE ON "moderation_action"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();

-- The runtime role reads and writes the new tables; the moderation log only grows.
GRANT SELECT, INSERT, UPDATE, DELETE ON "hearing_registration", "verification_code", "staff_credential", "staff_session", "rate_limit_bucket" TO dueprocess_runtime;
GRANT SELECT, INSERT ON "moderation_action" TO dueprocess_runtime;

-- Existing opinions get the hash of their normalised text (campaign detection).
UPDATE "opinion" SET "text_hash" = 'sha256:' || encode(sha256(convert_to(lower(regexp_replace(btrim("text"), '\s+', ' ', 'g')), 'UTF8')), 'hex') WHERE "text_hash" IS NULL;
