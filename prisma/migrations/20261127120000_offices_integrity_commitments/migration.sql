-- AlterTable
ALTER TABLE "organ" ADD COLUMN     "succeeded_at" TIMESTAMPTZ(3),
ADD COLUMN     "successor_id" TEXT;


-- AlterTable
ALTER TABLE "audit_entry" ADD COLUMN     "actor_office_id" TEXT;

-- AlterTable
ALTER TABLE "stage_record" ADD COLUMN     "actor_office_id" TEXT,
ADD COLUMN     "procedure_id" TEXT NOT NULL DEFAULT 'main';

-- CreateTable
CREATE TABLE "office" (
    "id" TEXT NOT NULL,
    "organ_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "office_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "office_term" (
    "id" TEXT NOT NULL,
    "office_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),

    CONSTRAINT "office_term_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integrity_record" (
    "id" TEXT NOT NULL,
    "source_ref" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "organ_id" TEXT NOT NULL,
    "office_id" TEXT,
    "holder_user_id" TEXT,
    "holder_name" TEXT,
    "rule" TEXT NOT NULL,
    "legal_basis" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "decision_id" TEXT,
    "commitment_id" TEXT,
    "corrects_id" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integrity_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integrity_dispute" (
    "id" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "filed_by" TEXT NOT NULL,
    "grounds" TEXT NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolution" TEXT,
    "resolved_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "correction_id" TEXT,

    CONSTRAINT "integrity_dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commitment" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organ_id" TEXT NOT NULL,
    "responsible_office_id" TEXT NOT NULL,
    "counterparty_id" TEXT NOT NULL,
    "counterparty_name" TEXT NOT NULL,
    "counterparty_is_sme" BOOLEAN NOT NULL,
    "decision_id" TEXT,
    "status" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "obligation" (
    "id" TEXT NOT NULL,
    "commitment_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount_fen" BIGINT,
    "delivered_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "fulfilled_at" TIMESTAMPTZ(3),
    "overdue_since" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,

    CONSTRAINT "obligation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint" (
    "id" TEXT NOT NULL,
    "commitment_id" TEXT NOT NULL,
    "filed_by" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL,
    "response_due_at" TIMESTAMPTZ(3) NOT NULL,
    "responded_at" TIMESTAMPTZ(3),
    "response" TEXT,
    "status" TEXT NOT NULL,

    CONSTRAINT "complaint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "office_organ_id_idx" ON "office"("organ_id");

-- CreateIndex
CREATE INDEX "office_term_office_id_starts_at_idx" ON "office_term"("office_id", "starts_at");

-- CreateIndex
CREATE INDEX "office_term_user_id_idx" ON "office_term"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "integrity_record_source_ref_key" ON "integrity_record"("source_ref");

-- CreateIndex
CREATE INDEX "integrity_record_organ_id_idx" ON "integrity_record"("organ_id");

-- CreateIndex
CREATE INDEX "integrity_record_holder_user_id_idx" ON "integrity_record"("holder_user_id");

-- CreateIndex
CREATE INDEX "integrity_record_created_at_idx" ON "integrity_record"("created_at");

-- CreateIndex
CREATE INDEX "integrity_dispute_record_id_idx" ON "integrity_dispute"("record_id");

-- CreateIndex
CREATE INDEX "commitment_organ_id_idx" ON "commitment"("organ_id");

-- CreateIndex
CREATE INDEX "commitment_counterparty_id_idx" ON "commitment"("counterparty_id");

-- CreateIndex
CREATE INDEX "obligation_commitment_id_idx" ON "obligation"("commitment_id");

-- CreateIndex
CREATE INDEX "obligation_due_at_idx" ON "obligation"("due_at");

-- CreateIndex
CREATE INDEX "complaint_commitment_id_idx" ON "complaint"("commitment_id");

-- AddForeignKey
ALTER TABLE "office" ADD CONSTRAINT "office_organ_id_fkey" FOREIGN KEY ("organ_id") REFERENCES "organ"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "office_term" ADD CONSTRAINT "office_term_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "office_term" ADD CONSTRAINT "office_term_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Roles move from people to offices (DOMAIN §3 inv. 7): each role a person held becomes an
-- office of their organ that they hold from now on.
INSERT INTO "office" ("id", "organ_id", "role", "title")
  SELECT u."organ_id" || '/' || r.role || '/' || u."id", u."organ_id", r.role, r.role || ' (' || u."name" || ')'
  FROM "staff_user" u, unnest(u."roles") AS r(role)
  ON CONFLICT DO NOTHING;
INSERT INTO "office_term" ("id", "office_id", "user_id", "starts_at")
  SELECT 'migrated:' || u."id" || ':' || r.role, u."organ_id" || '/' || r.role || '/' || u."id", u."id", CURRENT_TIMESTAMP
  FROM "staff_user" u, unnest(u."roles") AS r(role)
  ON CONFLICT DO NOTHING;
ALTER TABLE "staff_user" DROP COLUMN "roles";

CREATE TRIGGER integrity_record_append_only BEFORE UPDATE OR DELETE ON "integrity_record"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();

-- The role the application runs as (every pool connection does SET ROLE dueprocess_runtime).
-- It may read and write the read model, but only append to the audit chain, the stage records
-- and the integrity records: no path through the application rewrites the record. The role is
-- cluster-wide; the grants are per database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dueprocess_runtime') THEN
    CREATE ROLE dueprocess_runtime NOLOGIN;
  END IF;
END
$$;
GRANT dueprocess_runtime TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO dueprocess_runtime;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dueprocess_runtime;
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entry", "stage_record", "integrity_record" FROM dueprocess_runtime;
REVOKE ALL ON "_prisma_migrations" FROM dueprocess_runtime;
