-- CreateTable
CREATE TABLE "opinion_disposition" (
    "id" TEXT NOT NULL,
    "opinion_id" TEXT NOT NULL,
    "decision_id" TEXT NOT NULL,
    "window_id" TEXT NOT NULL,
    "disposition" TEXT NOT NULL,
    "reason" TEXT,
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "opinion_disposition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoint" (
    "seq" INTEGER NOT NULL,
    "slot" TIMESTAMPTZ(3) NOT NULL,
    "statement" JSONB NOT NULL,
    "hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "opinion_disposition_opinion_id_at_idx" ON "opinion_disposition"("opinion_id", "at");

-- CreateIndex
CREATE INDEX "opinion_disposition_window_id_idx" ON "opinion_disposition"("window_id");

-- CreateIndex
CREATE INDEX "opinion_disposition_decision_id_idx" ON "opinion_disposition"("decision_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_checkpoint_slot_key" ON "audit_checkpoint"("slot");


-- Existing dispositions become the first rows of the disposition log, with the hash the
-- application computes (lib/dispositions.ts: sha256 of the canonical JSON of the row).
INSERT INTO "opinion_disposition" ("id", "opinion_id", "decision_id", "window_id", "disposition", "reason", "by", "at", "hash")
  SELECT 'migrated:' || o."id", o."id", o."decision_id", o."window_id", o."disposition", o."disposition_reason",
    coalesce(o."disposed_by", 'unknown'), coalesce(o."disposed_at", o."created_at"),
    'sha256:' || encode(sha256(convert_to(
      '{"at":' || to_json(to_char(coalesce(o."disposed_at", o."created_at") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
      || ',"by":' || to_json(coalesce(o."disposed_by", 'unknown'))::text
      || ',"decisionId":' || to_json(o."decision_id")::text
      || ',"disposition":' || to_json(o."disposition")::text
      || ',"id":' || to_json('migrated:' || o."id")::text
      || ',"opinionId":' || to_json(o."id")::text
      || ',"reason":' || coalesce(to_json(o."disposition_reason")::text, 'null')
      || ',"windowId":' || to_json(o."window_id")::text || '}', 'UTF8')), 'hex')
  FROM "opinion" o WHERE o."disposition" IS NOT NULL
  ON CONFLICT DO NOTHING;

-- The opinion's disposition and moderation columns are a read-out of the two append-only logs,
-- written only by these trigger functions. They run with the rights of their owner (the
-- migrating role), with a pinned search path, so the runtime role needs no UPDATE on "opinion".
CREATE FUNCTION dueprocess_apply_disposition() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE public.opinion SET disposition = NEW.disposition, disposition_reason = NEW.reason, disposed_by = NEW."by", disposed_at = NEW.at
    WHERE id = NEW.opinion_id AND decision_id = NEW.decision_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no opinion % on decision %', NEW.opinion_id, NEW.decision_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION dueprocess_apply_disposition() FROM PUBLIC;
CREATE TRIGGER opinion_disposition_apply AFTER INSERT ON "opinion_disposition"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_apply_disposition();

CREATE FUNCTION dueprocess_apply_moderation() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.action = 'hide' THEN
    UPDATE public.opinion SET hidden_at = NEW.at, hidden_reason = NEW.reason, hidden_by = NEW."by" WHERE id = NEW.opinion_id;
  ELSIF NEW.action = 'restore' THEN
    UPDATE public.opinion SET hidden_at = NULL, hidden_reason = NULL, hidden_by = NULL WHERE id = NEW.opinion_id;
  ELSE
    RAISE EXCEPTION 'unknown moderation action %', NEW.action USING ERRCODE = 'check_violation';
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no opinion %', NEW.opinion_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION dueprocess_apply_moderation() FROM PUBLIC;
CREATE TRIGGER moderation_action_apply AFTER INSERT ON "moderation_action"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_apply_moderation();

-- Append-only, for every role that does not first disable the trigger (only the owner can).
CREATE TRIGGER opinion_disposition_append_only BEFORE UPDATE OR DELETE ON "opinion_disposition"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();
CREATE TRIGGER draft_document_append_only BEFORE UPDATE OR DELETE ON "draft_document"
  FOR EACH ROW EXECUTE FUNCTION dueprocess_refuse_change();

-- The runtime becomes a login role of its own: the application connects AS it, so there is no
-- owner session to return to (SET ROLE NONE, RESET ROLE) and no role to switch to (it is a member
-- of nothing). The role is cluster-wide and every database migrated on the cluster runs this, so
-- it is created only if missing (a concurrent creation by another database's migration is
-- tolerated) and only the attributes that are wrong are altered. No password is set here:
-- local servers trust loopback connections; a deployment sets one (npm run migrate with
-- DUEPROCESS_RUNTIME_DB_PASSWORD, or its own ALTER ROLE) and gives it to the application.
DO $$
DECLARE
  r pg_roles%ROWTYPE;
  m record;
BEGIN
  BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dueprocess_runtime') THEN
      CREATE ROLE dueprocess_runtime LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- created meanwhile by the migration of another database
  END;
  SELECT * INTO r FROM pg_roles WHERE rolname = 'dueprocess_runtime';
  IF NOT r.rolcanlogin THEN ALTER ROLE dueprocess_runtime LOGIN; END IF;
  IF r.rolsuper THEN ALTER ROLE dueprocess_runtime NOSUPERUSER; END IF;
  IF r.rolcreatedb THEN ALTER ROLE dueprocess_runtime NOCREATEDB; END IF;
  IF r.rolcreaterole THEN ALTER ROLE dueprocess_runtime NOCREATEROLE; END IF;
  IF r.rolreplication THEN ALTER ROLE dueprocess_runtime NOREPLICATION; END IF;
  IF r.rolbypassrls THEN ALTER ROLE dueprocess_runtime NOBYPASSRLS; END IF;
  FOR m IN SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid WHERE a.member = r.oid LOOP
    EXECUTE format('REVOKE %I FROM dueprocess_runtime', m.rolname);
  END LOOP;
END
$$;

-- The least the application needs, table by table (grants are per database). Append-only
-- records: SELECT and INSERT only. Nothing on _prisma_migrations.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM dueprocess_runtime;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM dueprocess_runtime;
GRANT USAGE ON SCHEMA public TO dueprocess_runtime;
GRANT SELECT, INSERT ON
  "audit_entry", "stage_record", "draft_document", "opinion", "opinion_disposition", "integrity_record",
  "moderation_action", "audit_checkpoint", "survey_answer", "hearing_registration", "staff_user", "office"
  TO dueprocess_runtime;
GRANT SELECT, INSERT, UPDATE ON
  "organ", "office_term", "decision", "public_window", "notification", "integrity_dispute",
  "commitment", "obligation", "complaint", "verification_code", "staff_credential", "staff_session"
  TO dueprocess_runtime;
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit_bucket" TO dueprocess_runtime;
