import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { checkpointKey, makeCheckpoint, publicKeyPem, type SignedCheckpoint } from '../../lib/checkpoints';
import { dispositionHash } from '../../lib/dispositions';
import { fromRoot } from '../../lib/paths';
import { useApiStack } from '../support/api-driver';
import { tamper } from '../support/owner';
import { participate } from '../support/scenarios';

// Security review (issue 9): a forged stage record and an altered draft text both left
// /audit/verify at valid, and deleting the tail of a chain was undetectable. verifyChain now
// checks every record the chain refers to by hash, and signed checkpoints of every chain's head
// make a deleted tail visible, to the server and to anyone holding a saved checkpoint.

const suite = useApiStack();
const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const dir = fromRoot('.data', 'test', `checkpoints-${process.pid}`);
const key = checkpointKey();
let slots = 0;
/** A slot of this test's own (far from the worker's), so each call makes a new checkpoint. */
const nextSlot = () => new Date(Date.UTC(2100, 0, 1) + process.pid * 1e6 + ++slots * 1000);

/** A decision with a comment window, opinions, dispositions and a published feedback report. */
async function participated(prefix: string): Promise<string> {
  const id = unique(prefix);
  expect((await suite.api.create({ id })).status).toBe(201);
  await participate(suite.api, id, {});
  return id;
}

const verify = async (id: string) =>
  (
    await request(suite.stack.app)
      .get(`/api/decisions/${id}/audit/verify`)
      .set(await suite.api.as('supervisor-lin'))
  ).body;

let ids: Record<'forged' | 'draft' | 'disposition' | 'tail', string>;
beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  // One after the other: the test template's comment window is short. The three tamperings share
  // one decision (each test looks at its own finding); the deleted tail has its own.
  const tampered = await participated('tampered');
  ids = { forged: tampered, draft: tampered, disposition: tampered, tail: await participated('tail') };
}, 180_000);

it('finds an intact decision valid: stage records, drafts, dispositions and the published digest hold', async () => {
  const r = await verify(ids.forged);
  expect(r).toMatchObject({
    valid: true,
    reason: null,
    firstBroken: null,
    alteredRecords: [],
    unchainedRecords: [],
    alteredDrafts: [],
    alteredDispositions: [],
  });
  const feedback = await suite.stack.prisma.auditEntry.findFirstOrThrow({
    where: { decisionId: ids.forged, action: 'publish-feedback' },
  });
  expect((feedback.body as any).payload.dispositions).toMatchObject({
    window: expect.any(String),
    dispositionsDigest: expect.stringMatching(/^sha256:/),
  });
});

it('reports a stage record forged by INSERT (the runtime role may insert) that no audit entry refers to', async () => {
  const id = ids.forged;
  const real = await suite.stack.prisma.stageRecord.findFirstOrThrow({
    where: { decisionId: id, kind: 'feedback-report' },
  });
  await suite.stack.prisma.stageRecord.create({
    data: {
      ...real,
      id: `${id}:forged-legality-pass`,
      stage: 'legality-review',
      kind: 'legality-review',
      content: { outcome: 'pass', opinion: 'Lawful.' },
      procedureId: 'main',
    } as any,
  });
  const r = await verify(id);
  expect(r.valid).toBe(false);
  expect(r.unchainedRecords).toEqual([`${id}:forged-legality-pass`]);
  expect(r.reason).toMatch(/in no audit entry: it was inserted outside the procedure/);
});

it('reports a draft text altered by the owner', async () => {
  const id = ids.draft;
  await tamper(`UPDATE draft_document SET text = text || ' Article 3. Fares double.' WHERE decision_id = $1`, [id]);
  const r = await verify(id);
  expect(r.valid).toBe(false);
  expect(r.alteredDrafts).toEqual([expect.stringMatching(/^sha256:\w+$/)]);
});

it('reports a disposition altered by the owner, even with its row hash recomputed', async () => {
  const id = ids.disposition;
  const [d] = await suite.stack.prisma.opinionDisposition.findMany({
    where: { decisionId: id },
    orderBy: { at: 'asc' },
    take: 1,
  });
  await tamper(`UPDATE opinion_disposition SET disposition = 'adopted', reason = NULL WHERE id = $1`, [d.id]);
  let r = await verify(id);
  expect(r.valid).toBe(false);
  expect(r.alteredDispositions).toContain(d.id);
  // Covering the tracks: the row's own hash recomputed, the opinion's read-out rewritten too.
  const forged = { ...d, disposition: 'adopted', reason: null };
  await tamper(`UPDATE opinion_disposition SET hash = $2 WHERE id = $1`, [d.id, dispositionHash(forged)]);
  await tamper(`UPDATE opinion SET disposition = 'adopted', disposition_reason = NULL WHERE id = $1`, [d.opinionId]);
  r = await verify(id);
  expect(r.valid).toBe(false);
  expect(r.alteredDispositions).toEqual(
    expect.arrayContaining([
      d.id,
      expect.stringMatching(/differ from those the feedback report of entry \d+ published/),
    ]),
  );
});

describe('checkpoints', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', fromRoot('bin', 'verify-checkpoint.ts'), ...args], {
      cwd: fromRoot(),
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e) => ({ code: e.code as number, out: `${e.stdout}${e.stderr}` }),
    );
  const save = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const publicRecord = async (id: string) => (await request(suite.stack.app).get(`/api/public/decisions/${id}`)).body;

  it('makes one checkpoint per slot, however many processes ask at once, each naming the one before', async () => {
    const slot = nextSlot();
    const made = await Promise.all([1, 2, 3].map(() => makeCheckpoint(suite.stack.prisma, key, slot)));
    expect(made.filter((m) => m.created)).toHaveLength(1);
    expect(new Set(made.map((m) => m.checkpoint.hash)).size).toBe(1);
    const next = await makeCheckpoint(suite.stack.prisma, key, nextSlot());
    expect(next.checkpoint.statement.previous).toBe(made[0].checkpoint.hash);
    expect(next.checkpoint.seq).toBeGreaterThan(made[0].checkpoint.seq);
    const latest = await request(suite.stack.app).get('/api/public/checkpoints/latest');
    expect(latest.status).toBe(200);
    expect(latest.body.seq).toBeGreaterThanOrEqual(next.checkpoint.seq);
    const k = await request(suite.stack.app).get('/api/public/checkpoints/key');
    expect(k.body).toEqual({ algorithm: 'Ed25519', keyId: key.keyId, publicKey: publicKeyPem(key) });
    const open = await request(suite.stack.app).get('/open-data/checkpoints.json');
    expect(open.body).toMatchObject({
      dataset: 'checkpoints',
      key: '/api/public/checkpoints/key',
      latest: { algorithm: 'Ed25519' },
    });
  });

  it('shows the chain head on the public record (JSON and portal page)', async () => {
    const id = ids.tail;
    const head = await suite.stack.prisma.auditEntry.findFirstOrThrow({
      where: { decisionId: id },
      orderBy: { seq: 'desc' },
    });
    const rec = await publicRecord(id);
    expect(rec.auditChain.head).toEqual({ seq: head.seq, hash: head.hash });
    expect(rec.auditChain.entries).toHaveLength(head.seq);
    expect(Object.keys(rec.auditChain.entries[0]).sort()).toEqual(['hash', 'prevHash', 'seq']);
    const page = await request(suite.stack.app).get(`/decisions/${id}/record?lang=en`);
    expect(page.text).toContain(`Audit chain: ${head.seq} entries, head ${head.hash}`);
  });

  it('detects a deleted tail: verify reports it against the checkpoint, and verify-checkpoint fails on the truncated record', async () => {
    const id = ids.tail;
    const { checkpoint } = await makeCheckpoint(suite.stack.prisma, key, nextSlot());
    const at = checkpoint.statement.heads.find((h) => h.chain === id)!;
    expect(at.seq).toBeGreaterThan(3);
    expect(await verify(id)).toMatchObject({ valid: true, checkpoint: { seq: checkpoint.seq, matches: true } });
    const cpFile = save(`cp-${id}.json`, checkpoint);
    const keyFile = save('key.pem', publicKeyPem(key));

    const intact = await run([
      '--checkpoint',
      cpFile,
      '--record',
      save(`intact-${id}.json`, await publicRecord(id)),
      '--key',
      keyFile,
    ]);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.out).toContain(`contain entry ${at.seq}`);

    // A checkpoint altered after signing, or checked with another key, fails on its signature.
    const altered: SignedCheckpoint = JSON.parse(JSON.stringify(checkpoint));
    altered.statement.heads.find((h) => h.chain === id)!.seq = 1;
    const bad = await run([
      '--checkpoint',
      save('altered.json', altered),
      '--record',
      save(`intact2-${id}.json`, await publicRecord(id)),
      '--key',
      keyFile,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/does not match its hash/);

    // The owner deletes the last two entries, with the append-only trigger off.
    await tamper('DELETE FROM audit_entry WHERE decision_id = $1 AND seq > $2', [id, at.seq - 2]);
    const r = await verify(id);
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(new RegExp(`entries after seq ${at.seq - 2} were deleted`));
    expect(r.checkpoint).toMatchObject({ seq: checkpoint.seq, matches: false, head: { seq: at.seq } });
    const cli = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fromRoot('bin', 'verify-audit.ts'), id],
      { env: { ...process.env, DATABASE_URL: process.env.DUEPROCESS_TEST_DB } },
    ).catch((e) => e);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`entries after seq ${at.seq - 2} were deleted`);

    const truncated = await run([
      '--checkpoint',
      cpFile,
      '--record',
      save(`truncated-${id}.json`, await publicRecord(id)),
      '--key',
      keyFile,
    ]);
    expect(truncated.code).toBe(1);
    expect(truncated.out).toContain(`FAIL: ${id}: entries after seq ${at.seq - 2} were deleted`);
  }, 60_000);
});
