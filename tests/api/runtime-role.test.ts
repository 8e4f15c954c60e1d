import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { checkpointKey, makeCheckpoint } from '../../lib/checkpoints';
import { assertRuntimeSession, createPool, createPrisma, type PrismaClient } from '../../lib/db';
import { recordDisposition } from '../../lib/dispositions';
import { moderate } from '../../lib/moderation';
import { demoActor } from '../../prisma/demo';
import { asOwner } from '../support/owner';
import { env } from '../support/stack';

// Security review (issue 9): the application used to log in as the database owner and only set
// `role=dueprocess_runtime`, so `SET ROLE NONE` gave it the owner's (superuser) rights. Now it
// logs in AS the runtime role (createPool's default, as every process of the application does):
// a login role of its own, no superuser, member of nothing, which may only append to the records.

let runtime: pg.Pool;
let prisma: PrismaClient;

beforeAll(() => {
  runtime = createPool(env('DUEPROCESS_TEST_DB'), 3);
  prisma = createPrisma(runtime);
});
afterAll(async () => {
  await prisma.$disconnect();
  await runtime.end();
});

const DENIED = /permission denied|must be owner|must be superuser|insufficient privilege|append-only/i;

/** Runs `fn` on one connection of the runtime pool (SET commands stay on that session). */
async function session<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await runtime.connect();
  try {
    return await fn(c);
  } finally {
    c.release(true); // never hand a session whose settings a test changed back to the pool
  }
}

const privileged = async (c: pg.PoolClient) => {
  const who = (
    await c.query(
      'SELECT session_user::text AS s, current_user::text AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS sup',
    )
  ).rows[0];
  expect(who).toEqual({ s: 'dueprocess_runtime', u: 'dueprocess_runtime', sup: false });
  await expect(c.query(`UPDATE audit_entry SET actor_name = 'x' WHERE false`)).rejects.toThrow(DENIED);
  await expect(c.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only')).rejects.toThrow(DENIED);
  await expect(c.query('SET session_replication_role = replica')).rejects.toThrow(DENIED);
};

describe('the runtime login role', () => {
  it('is what the application logs in as: a login role of its own, no superuser, member of no role', async () => {
    await assertRuntimeSession(runtime);
    const role = await asOwner(
      async (c) =>
        (
          await c.query(`SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
        (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships FROM pg_roles r WHERE rolname = 'dueprocess_runtime'`)
        ).rows[0],
    );
    expect(role).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      memberships: 0,
    });
    // The owner's connection is refused as an application connection.
    const owner = createPool(env('DUEPROCESS_TEST_DB'), 1, null);
    await expect(assertRuntimeSession(owner)).rejects.toThrow(/superuser/);
    await owner.end();
  });

  it.each([
    ['SET ROLE NONE', null],
    ['RESET ROLE', null],
    ['SET SESSION AUTHORIZATION DEFAULT', null],
    ['RESET SESSION AUTHORIZATION', null],
    ['SET ROLE postgres', /permission denied to set role/],
    ['SET ROLE root', /permission denied to set role/],
    ['SET SESSION AUTHORIZATION postgres', /permission denied to set session authorization/],
    ['SET SESSION AUTHORIZATION root', /permission denied to set session authorization/],
  ])('gains nothing with %s', async (sql, refused) => {
    await session(async (c) => {
      if (refused) await expect(c.query(sql)).rejects.toThrow(refused);
      else await c.query(sql);
      await privileged(c);
    });
  });

  it('may not create roles or grant itself rights', async () => {
    await session(async (c) => {
      await expect(c.query(`CREATE ROLE escape_${randomUUID().slice(0, 8)} SUPERUSER`)).rejects.toThrow(DENIED);
      await c.query('GRANT UPDATE ON audit_entry TO dueprocess_runtime'); // "no privileges were granted": a warning
      await expect(c.query(`UPDATE audit_entry SET actor_name = 'x' WHERE false`)).rejects.toThrow(DENIED);
      await expect(c.query('ALTER ROLE dueprocess_runtime SUPERUSER')).rejects.toThrow(DENIED);
      await expect(c.query('SELECT * FROM _prisma_migrations')).rejects.toThrow(DENIED);
    });
  });
});

describe('append-only tables', () => {
  const tag = randomUUID().slice(0, 8);
  const decisionId = `rt-${tag}`;
  const opinionId = `OP-RT-${tag}`;
  const rows: Record<string, string> = {};

  beforeAll(async () => {
    // Every row is inserted by the runtime role: appending is what it may do.
    const q = (sql: string, params: unknown[]) => runtime.query(sql, params);
    await q(
      `INSERT INTO decision (id, title, organ_id, template_id, statutory, status, draft_version, draft_hash, revision, state, created_at, updated_at)
      VALUES ($1, 'Runtime role', 'harbin-gov', 'test-fast', false, 'drafting', 1, 'h', 1, '{"windows": [], "publishedAt": null}', now(), now())`,
      [decisionId],
    );
    await q(
      `INSERT INTO audit_entry (decision_id, seq, event_id, outcome, action, at, body, prev_hash, hash) VALUES ($1, 1, 'e1', 'system', 'test', now(), '{}', 'p', 'h')`,
      [decisionId],
    );
    await q(
      `INSERT INTO stage_record (id, decision_id, stage, round, kind, draft_version, draft_hash, content, at) VALUES ($1, $2, 'initiation', 1, 'test', 1, 'h', '{}', now())`,
      [`${decisionId}:r1`, decisionId],
    );
    await q(
      `INSERT INTO draft_document (decision_id, hash, text, explanation, created_by) VALUES ($1, 'h', 'Article 1.', 'Why.', 'official-zhang')`,
      [decisionId],
    );
    await q(
      `INSERT INTO opinion (id, decision_id, window_id, text, client_key) VALUES ($1, $2, 'w1', 'An opinion.', $3)`,
      [opinionId, decisionId, tag],
    );
    await q(
      `INSERT INTO integrity_record (id, source_ref, kind, organ_id, rule, legal_basis, evidence) VALUES ($1, $1, 'test', 'harbin-gov', 'r', 'b', '{}')`,
      [`IR-RT-${tag}`],
    );
    await prisma.$transaction((tx) =>
      recordDisposition(tx, {
        opinion: { id: opinionId, decisionId, windowId: 'w1' },
        disposition: 'adopted',
        reason: null,
        by: 'official-zhang',
      }),
    );
    await moderate(prisma, demoActor('supervisor-lin'), opinionId, 'hide', 'Personal data of a third person.');
    await makeCheckpoint(
      prisma,
      checkpointKey(),
      new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 1e9) * 1000),
    );
    rows.audit_entry = `decision_id = '${decisionId}'`;
    rows.stage_record = `decision_id = '${decisionId}'`;
    rows.draft_document = `decision_id = '${decisionId}'`;
    rows.opinion = `id = '${opinionId}'`;
    rows.opinion_disposition = `opinion_id = '${opinionId}'`;
    rows.integrity_record = `id = 'IR-RT-${tag}'`;
    rows.moderation_action = `opinion_id = '${opinionId}'`;
    rows.audit_checkpoint = 'true';
  });

  const TABLES = [
    'audit_entry',
    'stage_record',
    'draft_document',
    'opinion',
    'opinion_disposition',
    'integrity_record',
    'moderation_action',
    'audit_checkpoint',
  ];

  it.each(TABLES)('refuses UPDATE, DELETE and TRUNCATE of %s to the runtime role, and the rows stay', async (table) => {
    const before = (await runtime.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${rows[table]}`)).rows[0].n;
    expect(before).toBeGreaterThan(0);
    const column = (
      await runtime.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND data_type = 'text' LIMIT 1`,
        [table],
      )
    ).rows[0].column_name;
    await expect(runtime.query(`UPDATE ${table} SET "${column}" = 'rewritten' WHERE ${rows[table]}`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(runtime.query(`DELETE FROM ${table} WHERE ${rows[table]}`)).rejects.toThrow(/permission denied/);
    await expect(runtime.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied/);
    expect((await runtime.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${rows[table]}`)).rows[0].n).toBe(
      before,
    );
  });

  it('gives the runtime role exactly the table rights the application needs', async () => {
    const grants = await asOwner(
      async (c) =>
        (
          await c.query(`SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS p FROM information_schema.role_table_grants
        WHERE grantee = 'dueprocess_runtime' GROUP BY table_name`)
        ).rows as Array<{ table_name: string; p: string }>,
    );
    const by = Object.fromEntries(grants.map((g) => [g.table_name, g.p]));
    for (const t of [...TABLES, 'survey_answer', 'hearing_registration', 'staff_user', 'office'])
      expect([t, by[t]]).toEqual([t, 'INSERT,SELECT']);
    expect(by.rate_limiter).toBe('DELETE,INSERT,SELECT,UPDATE');
    expect(by._prisma_migrations).toBeUndefined();
    expect(Object.values(by).filter((p) => /TRUNCATE|REFERENCES|TRIGGER/.test(p))).toEqual([]);
  });

  it('sets the opinion read-out from the disposition and moderation logs, by trigger, without UPDATE on opinion', async () => {
    const o = await prisma.opinion.findUniqueOrThrow({ where: { id: opinionId } });
    expect(o).toMatchObject({
      disposition: 'adopted',
      disposedBy: 'official-zhang',
      hiddenReason: 'Personal data of a third person.',
      hiddenBy: 'supervisor-lin',
    });
    await expect(moderate(prisma, demoActor('supervisor-lin'), opinionId, 'hide', 'Again.')).rejects.toMatchObject({
      code: 'ALREADY_HIDDEN',
    });
    await moderate(prisma, demoActor('supervisor-lin'), opinionId, 'restore', 'The person agreed.');
    expect((await prisma.opinion.findUniqueOrThrow({ where: { id: opinionId } })).hiddenAt).toBeNull();
    await prisma.$transaction((tx) =>
      recordDisposition(tx, {
        opinion: { id: opinionId, decisionId, windowId: 'w1' },
        disposition: 'not-adopted',
        reason: 'Outside the scope.',
        by: 'official-zhang',
      }),
    );
    expect(await prisma.opinion.findUniqueOrThrow({ where: { id: opinionId } })).toMatchObject({
      disposition: 'not-adopted',
      dispositionReason: 'Outside the scope.',
    });
    expect(await prisma.opinionDisposition.count({ where: { opinionId } })).toBe(2);
  });
});
