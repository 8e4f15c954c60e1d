-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "organ" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organ_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "organ_id" TEXT NOT NULL,
    "roles" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "staff_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decision" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organ_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "statutory" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "current_stage" TEXT,
    "draft_version" INTEGER NOT NULL,
    "draft_hash" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "draft_document" (
    "decision_id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "draft_document_pkey" PRIMARY KEY ("decision_id","hash")
);

-- CreateTable
CREATE TABLE "public_window" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "urgency_reason" TEXT,
    "questions" JSONB,
    "frozen_at" TIMESTAMPTZ(3),
    "frozen_count" INTEGER,
    "frozen_digest" TEXT,

    CONSTRAINT "public_window_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opinion" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "window_id" TEXT NOT NULL,
    "paragraph" INTEGER,
    "text" TEXT NOT NULL,
    "author_name" TEXT,
    "contact" TEXT,
    "client_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disposition" TEXT,
    "disposition_reason" TEXT,
    "disposed_by" TEXT,
    "disposed_at" TIMESTAMPTZ(3),

    CONSTRAINT "opinion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_answer" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "window_id" TEXT NOT NULL,
    "answers" JSONB NOT NULL,
    "client_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_record" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_role" TEXT,
    "draft_version" INTEGER NOT NULL,
    "draft_hash" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "decision_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "event_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "actor_role" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "draft_version" INTEGER,
    "draft_hash" TEXT,
    "code" TEXT,
    "legal_basis" TEXT,
    "body" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("decision_id","seq")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "recipient_role" TEXT NOT NULL,
    "recipient_id" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "decision_status_idx" ON "decision"("status");

-- CreateIndex
CREATE INDEX "decision_current_stage_idx" ON "decision"("current_stage");

-- CreateIndex
CREATE INDEX "decision_organ_id_idx" ON "decision"("organ_id");

-- CreateIndex
CREATE INDEX "public_window_decision_id_idx" ON "public_window"("decision_id");

-- CreateIndex
CREATE INDEX "opinion_decision_id_idx" ON "opinion"("decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "opinion_window_id_client_key_key" ON "opinion"("window_id", "client_key");

-- CreateIndex
CREATE INDEX "survey_answer_decision_id_idx" ON "survey_answer"("decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "survey_answer_window_id_client_key_key" ON "survey_answer"("window_id", "client_key");

-- CreateIndex
CREATE INDEX "stage_record_decision_id_idx" ON "stage_record"("decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_decision_id_event_id_key" ON "audit_entry"("decision_id", "event_id");

-- CreateIndex
CREATE INDEX "notification_recipient_role_recipient_id_idx" ON "notification"("recipient_role", "recipient_id");

-- CreateIndex
CREATE INDEX "notification_decision_id_idx" ON "notification"("decision_id");

-- AddForeignKey
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_organ_id_fkey" FOREIGN KEY ("organ_id") REFERENCES "organ"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only records (DOMAIN §3 inv. 6): the audit chain and the stage records are never
-- updated or deleted by the application. These triggers refuse it for every role that does not
-- first disable them (only the table owner can), and the audit chain exposes any such change.
CREATE FUNCTION dueprocess_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only (DOMAIN §3 inv. 6)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();
CREATE TRIGGER stage_record_append_only BEFORE UPDATE OR DELETE ON "stage_record"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();
