import type { Stack } from '../../support/stack';
import type { World } from './world';

// What requests of one world have written, table by table: the rows a refused request must not
// add. Only rows a request writes are counted — timer events of running workflows write audit
// entries, stage records and integrity records with no actor, and those are left out — and the
// refused attempts the audit chain records by design (outcome "refused", and the integrity
// records born of them) are left out too.

export type Footprint = Record<string, string | number>;

export async function footprint(stack: Stack, w: World): Promise<Footprint> {
  const users = w.userIds;
  const rows = await stack.prisma.$queryRaw<Array<{ f: Footprint }>>`
    WITH d AS (SELECT id FROM decision WHERE organ_id = ${w.organ}),
         c AS (SELECT id FROM commitment WHERE organ_id = ${w.organ})
    SELECT json_build_object(
      'decisions', (SELECT count(*) FROM d),
      'drafts', (SELECT count(*) FROM draft_document WHERE created_by = ANY(${users}::text[])),
      'opinions', (SELECT count(*) FROM opinion WHERE decision_id IN (SELECT id FROM d)),
      'opinionsHandled', (SELECT count(*) FROM opinion WHERE decision_id IN (SELECT id FROM d) AND (disposition IS NOT NULL OR hidden_at IS NOT NULL)),
      'surveyAnswers', (SELECT count(*) FROM survey_answer WHERE decision_id IN (SELECT id FROM d)),
      'hearingRegistrations', (SELECT count(*) FROM hearing_registration WHERE decision_id IN (SELECT id FROM d)),
      'verificationCodes', (SELECT count(*) FROM verification_code WHERE decision_id IN (SELECT id FROM d)),
      'moderation', (SELECT count(*) FROM moderation_action WHERE opinion_id IN (SELECT id FROM opinion WHERE decision_id IN (SELECT id FROM d))),
      'stageRecords', (SELECT count(*) FROM stage_record WHERE actor_id = ANY(${users}::text[])),
      'auditAccepted', (SELECT count(*) FROM audit_entry WHERE outcome <> 'refused' AND actor_id = ANY(${users}::text[])),
      'integrityRecords', (SELECT count(*) FROM integrity_record WHERE created_by = ANY(${users}::text[])),
      'disputes', (SELECT count(*) FROM integrity_dispute WHERE filed_by = ANY(${users}::text[])),
      'disputesResolved', (SELECT count(*) FROM integrity_dispute WHERE resolved_by = ANY(${users}::text[])),
      'commitments', (SELECT count(*) FROM c),
      'complaints', (SELECT count(*) FROM complaint WHERE commitment_id IN (SELECT id FROM c)),
      'organs', (SELECT coalesce(md5(string_agg(id || '|' || name || '|' || coalesce(successor_id, ''), ',' ORDER BY id)), '') FROM organ WHERE starts_with(id, ${`secm-${w.n}`})),
      'officeTerms', (SELECT count(*) FROM office_term WHERE office_id IN (SELECT id FROM office WHERE organ_id = ${w.organ})),
      'officeTermsEnded', (SELECT count(*) FROM office_term WHERE ends_at IS NOT NULL AND office_id IN (SELECT id FROM office WHERE organ_id = ${w.organ}))
    ) AS f`;
  return rows[0].f;
}

/** The names of every table, to check that none was dropped. */
export async function tableNames(stack: Stack): Promise<string[]> {
  const rows = await stack.prisma.$queryRaw<
    Array<{ t: string }>
  >`SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`;
  return rows.map((r) => r.t);
}
