import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { fromRoot } from '../../lib/paths';
import { useApiStack, waitFor } from '../support/api-driver';
import { discussion, legality, publicity } from '../support/scenarios';
import { env } from '../support/stack';

// After adoption (DOMAIN §4; issue 3 parts 1–3): typed change requests run their procedure before
// anything changes; forbidden grounds are refused; an unratified urgent suspension leaves an
// integrity record; no path, not even SQL with the application's role, rewrites the record, and
// what someone with more rights changes in SQL is reported by the verify endpoint and command.

const suite = useApiStack();

const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e5)}`;

async function inForce(prefix: string): Promise<string> {
  const id = unique(prefix);
  expect(
    (await suite.api.create({ id, flags: { nonDisclosable: true }, nonDisclosableReason: 'Internal arrangements' }))
      .status,
  ).toBe(201);
  await legality(suite.api, id);
  await discussion(suite.api, id);
  await publicity(suite.api, id, false);
  return id;
}

async function change(id: string, userId: string, body: Record<string, unknown>) {
  return request(suite.stack.app)
    .post(`/api/decisions/${id}/changes`)
    .set(await suite.api.as(userId))
    .send(body);
}

const order = { text: 'Order: the decision is changed as follows.', explanation: 'Grounds and evidence attached.' };

it('refuses a termination whose only ground is that the mayor changed, and records the attempt', async () => {
  const id = await inForce('mayor-changed');
  const res = await change(id, 'official-zhang', {
    type: 'termination',
    grounds: {
      categories: ['replacement-of-responsible-person'],
      explanation: 'The mayor changed; the new mayor has other priorities.',
    },
    document: order,
  });
  expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 409, code: 'FORBIDDEN_GROUND' });
  expect(res.body.error.legalBasis).toBe('Decree 722 Art 31; Private Economy Promotion Law Art 70');
  const audit = await suite.stack.prisma.auditEntry.findMany({ where: { decisionId: id, outcome: 'refused' } });
  expect(audit.map((e) => [e.action, e.code])).toEqual([['request-change', 'FORBIDDEN_GROUND']]);
  expect(await suite.stack.prisma.draftDocument.count({ where: { decisionId: id } })).toBe(1);
  expect((await suite.api.get(id)).body.decision.status).toBe('in-force');
});

it('changes an adopted decision only through a typed change request, and answers which text was in force when', async () => {
  const id = await inForce('amended');
  const before = new Date().toISOString();
  const direct = await request(suite.stack.app)
    .post(`/api/decisions/${id}/drafts`)
    .set(await suite.api.as('official-zhang'))
    .send({ text: 'A new text', explanation: 'Why', changeNote: 'Quietly' });
  expect(direct.body.error.code).toBe('CHANGE_CONTROL_REQUIRED');

  const amended = {
    text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay 40%.',
    explanation: 'The provincial regulation changed.',
  };
  const opened = await change(id, 'official-zhang', {
    type: 'minor-amendment',
    grounds: { categories: ['change-in-law'], explanation: 'Provincial regulation revised' },
    document: amended,
  });
  expect(opened.status).toBe(201);
  const changeId = opened.body.changeId;
  expect(changeId).toBe('change-1');
  const act = async (userId: string, action: string, body: Record<string, unknown>) =>
    request(suite.stack.app)
      .post(`/api/decisions/${id}/changes/${changeId}/actions/${action}`)
      .set(await suite.api.as(userId))
      .send(body);
  expect(
    (await act('official-zhang', 'submit-for-discussion', suite.api.body('submit-for-discussion', 1))).body.error.code,
  ).toBe('LEGALITY_REVIEW_REQUIRED');
  expect(
    (await act('official-zhang', 'submit-for-legality-review', suite.api.body('submit-for-legality-review', 1))).status,
  ).toBe(200);
  await suite.api.waitFor(id, (d) =>
    d.changes[0].procedure.deadlines.some((x: any) => x.kind === 'legality-minimum' && x.firedAt),
  );
  for (const [u, a] of [
    ['reviewer-wang', 'file-legality-review'],
    ['official-zhang', 'submit-for-discussion'],
    ['secretary-he', 'record-minutes'],
    ['head-gao', 'decide'],
    ['official-zhang', 'announce'],
    ['head-gao', 'report-to-party-committee'],
  ] as const) {
    const r = await act(u, a, suite.api.body(a, 1));
    expect([a, r.status]).toEqual([a, 200]);
  }
  await suite.api.waitFor(id, (d) =>
    d.changes[0].procedure.deadlines.some((x: any) => x.kind === 'objection-window' && x.firedAt),
  );
  expect((await suite.api.get(id)).body.decision.draft.version).toBe(1);
  expect((await act('official-zhang', 'publish', suite.api.body('publish', 1))).status).toBe(200);
  const d = await suite.api.waitFor(id, (x) => x.changes[0].status === 'effective');
  expect(d.draft.version).toBe(2);

  const then = await request(suite.stack.app).get(`/api/public/decisions/${id}/in-force`).query({ at: before });
  expect(then.body).toMatchObject({
    status: 'in-force',
    version: { version: 1, adoptedBy: 'main' },
    text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay half.',
  });
  expect(then.body.procedure.map((r: any) => r.stage)).toContain('legality-review');
  const now = await request(suite.stack.app).get(`/api/public/decisions/${id}/in-force`);
  expect(now.body).toMatchObject({
    status: 'in-force',
    version: { version: 2, adoptedBy: 'change-1' },
    text: amended.text,
  });
  expect(now.body.procedure.map((r: any) => r.kind)).toEqual(
    expect.arrayContaining(['change-request', 'legality-review', 'decision', 'publication']),
  );
});

it('creates an integrity record when an urgent suspension is not ratified in time', async () => {
  const id = await inForce('suspended');
  const byOfficial = await change(id, 'official-zhang', {
    type: 'urgent-suspension',
    grounds: { categories: ['emergency'], explanation: 'Flooding' },
    document: order,
  });
  expect(byOfficial.body.error.code).toBe('ROLE_REQUIRED');
  const res = await change(id, 'head-gao', {
    type: 'urgent-suspension',
    grounds: { categories: ['emergency'], explanation: 'Flooding' },
    document: order,
  });
  expect(res.status).toBe(201);
  expect(res.body.decision.status).toBe('suspended');
  const records = await waitFor(
    async () => {
      const found = await suite.stack.prisma.integrityRecord.findMany({ where: { decisionId: id } });
      return found.length ? found : null;
    },
    { what: `the suspension-unratified integrity record of ${id}` },
  );
  expect(records).toEqual([
    expect.objectContaining({ kind: 'suspension-unratified', officeId: 'harbin-gov/head', holderUserId: 'head-gao' }),
  ]);
  const audit = await suite.stack.prisma.auditEntry.findMany({
    where: { decisionId: id, action: 'suspension-unratified' },
  });
  expect(audit).toHaveLength(1);
});

describe('no back door', () => {
  it('refuses, to the application’s own database role, any update or delete of audit entries and stage records', async () => {
    const id = await inForce('backdoor');
    await expect(
      suite.stack.prisma.$executeRaw`UPDATE audit_entry SET code = 'X' WHERE decision_id = ${id}`,
    ).rejects.toThrow(/permission denied/);
    await expect(suite.stack.prisma.$executeRaw`DELETE FROM stage_record WHERE decision_id = ${id}`).rejects.toThrow(
      /permission denied/,
    );
    await expect(suite.stack.prisma.$executeRaw`UPDATE integrity_record SET rule = 'X'`).rejects.toThrow(
      /permission denied/,
    );
  });

  it('reports an audit entry or a stage record altered in SQL by someone with more rights', async () => {
    const id = await inForce('tampered');
    const verify = async () =>
      (
        await request(suite.stack.app)
          .get(`/api/decisions/${id}/audit/verify`)
          .set(await suite.api.as('supervisor-lin'))
      ).body;
    expect(await verify()).toMatchObject({ valid: true, alteredRecords: [] });
    const owner = new pg.Client({ connectionString: env('DUEPROCESS_TEST_DB') });
    await owner.connect();
    try {
      await owner.query('ALTER TABLE stage_record DISABLE TRIGGER stage_record_append_only');
      await owner.query(
        `UPDATE stage_record SET content = jsonb_set(content, '{opinion}', '"Unlawful."') WHERE decision_id = $1 AND kind = 'legality-review'`,
        [id],
      );
      await owner.query('ALTER TABLE stage_record ENABLE TRIGGER stage_record_append_only');
      const afterRecord = await verify();
      expect(afterRecord.valid).toBe(false);
      expect(afterRecord.alteredRecords).toEqual([expect.stringContaining('legality-review')]);
      await owner.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
      await owner.query(`UPDATE audit_entry SET actor_name = 'Someone Else' WHERE decision_id = $1 AND seq = 3`, [id]);
      await owner.query('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
    } finally {
      await owner.end();
    }
    expect((await verify()).firstBroken).toEqual({
      seq: 3,
      reason: 'content does not match its hash: the entry was altered',
    });
    const cli = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fromRoot('bin', 'verify-audit.ts'), id],
      { env: { ...process.env, DATABASE_URL: env('DUEPROCESS_TEST_DB') } },
    ).catch((e) => e);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/BROKEN — first broken link at entry 3/);
  });
});
