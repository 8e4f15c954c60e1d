import request from 'supertest';
import { createApp } from '../../server/app';
import { FEED_FIELDS, SME_FIELDS } from '../../app/integrity/feed';
import { ApiDriver } from '../support/api-driver';
import { startStack, type Stack } from '../support/stack';
import { STACK_HOOK_MS } from '../support/wait';

// The credit-platform feed (DOMAIN §5; Decree 802 Arts 18, 26): integrity records incremental by
// creation time, as JSON and as RFC 4180 CSV that survives a strict parser and cannot inject a
// spreadsheet formula; and the annual list of payments to SMEs overdue during a year.

process.env.DUEPROCESS_FEED_SETTLE_SECONDS = '0';

let stack: Stack;
let api: ApiDriver;
let supervisor: Record<string, string>;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  api = new ApiDriver(stack);
  supervisor = await api.as('supervisor-lin');
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const run = Date.now().toString(36);
let counter = 0;
const uniq = (prefix: string) => `${prefix}-${run}-${++counter}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A strict RFC 4180 reader: CRLF row ends, quoted fields with doubled quotes, no bare CR, LF or quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') cell += text[++i];
      else if (text[i + 1] === ',' || text[i + 1] === '\r') quoted = false;
      else throw new Error(`text after a closing quote at ${i}`);
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') {
      endCell();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
    } else {
      cell += ch;
    }
  }
  if (quoted || cell !== '' || row.length > 0) throw new Error('the last row does not end with CRLF');
  return rows;
}

const asObjects = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));
const escaped = (v: unknown) => (v === null ? '' : /^[=+\-@\t\r']/.test(String(v)) ? `'${v}` : String(v));

async function manualRecord(organId: string, overrides: Record<string, unknown> = {}) {
  const body = {
    organId,
    rule: 'Contract breached',
    legalBasis: 'Decree 722 Art 31',
    evidence: { description: 'Notice of termination.', references: [] },
    ...overrides,
  };
  const res = await request(stack.app).post('/api/integrity-records').set(supervisor).send(body);
  expect(res.status).toBe(201);
  await sleep(3); // distinct creation times, so `since` separates them
  return res.body.record;
}

const feed = async (query: string) => request(stack.app).get(`/api/credit-feed?${query}`).set(supervisor);
const mine = (records: any[], ids: string[]) => records.filter((r) => ids.includes(r.id)).map((r) => r.id);

describe('the credit feed of integrity records', () => {
  it('is incremental: strictly after `since`, ordered by creation, with a cursor that pages without loss or repetition', async () => {
    const organ = uniq('feed-organ');
    await stack.prisma.organ.create({ data: { id: organ, name: 'Feed bureau' } });
    const r1 = await manualRecord(organ);
    const r2 = await manualRecord(organ);
    const r3 = await manualRecord(organ);
    const ids = [r1.id, r2.id, r3.id];
    const before = new Date(Date.parse(r1.createdAt) - 1).toISOString();

    const all = await feed(`since=${encodeURIComponent(before)}`);
    expect(all.status).toBe(200);
    expect(all.body.fields).toEqual([...FEED_FIELDS]);
    expect(mine(all.body.records, ids)).toEqual(ids);
    expect(all.body.records[0]).toEqual(
      expect.objectContaining({
        id: r1.id,
        organId: organ,
        organName: 'Feed bureau',
        kind: 'manual',
        evidence: expect.objectContaining({ description: 'Notice of termination.' }),
      }),
    );
    expect(Object.keys(all.body.records[0])).toEqual([...FEED_FIELDS]);
    const afterFirst = await feed(`since=${encodeURIComponent(r1.createdAt)}`);
    expect(mine(afterFirst.body.records, ids)).toEqual([r2.id, r3.id]);

    const seen: string[] = [];
    let page = await feed(`since=${encodeURIComponent(before)}&limit=1`);
    for (let i = 0; i < 1000 && page.body.records.length > 0; i++) {
      seen.push(...page.body.records.map((r: any) => r.id));
      expect(page.body.next.since).toBe(page.body.records[0].createdAt);
      page = await feed(`cursor=${page.body.next.cursor}&limit=1`);
    }
    expect(page.body).toMatchObject({ complete: true, records: [] });
    expect(new Set(seen).size).toBe(seen.length);
    expect(
      mine(
        seen.map((id) => ({ id })),
        ids,
      ),
    ).toEqual(ids);
  });

  it('writes CSV with a header row that a strict RFC 4180 reader parses back to the JSON feed, with formulas neutralised', async () => {
    const organ = uniq('feed-organ');
    const holder = uniq('feed-user');
    await stack.addStaff({ id: holder, name: '+Liu "Lan", 刘兰', organId: organ, roles: ['head'] });
    const tricky = await manualRecord(organ, {
      officeId: `${organ}/head/${holder}`,
      rule: '=HYPERLINK("http://evil.example","click"), then pay',
      legalBasis: '-Decree 802 Art 9\r\nsecond line',
      evidence: { description: '@SUM(1+1)\n第二行 "引号", comma', references: ['=1+1'] },
    });
    const since = encodeURIComponent(new Date(Date.parse(tricky.createdAt) - 1).toISOString());
    const json = await feed(`since=${since}`);
    const csv = await feed(`since=${since}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="integrity-records-after-.*\.csv"$/);
    expect(csv.headers['x-feed-next-since']).toBe(json.body.next.since);
    expect(csv.headers['x-feed-next-cursor']).toBe(json.body.next.cursor);
    const text = Buffer.from(csv.text, 'utf8').toString('utf8');
    expect(text.startsWith(FEED_FIELDS.join(',') + '\r\n')).toBe(true);

    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...FEED_FIELDS]);
    const objects = asObjects(rows);
    expect(objects.map((o) => o.id)).toEqual(json.body.records.map((r: any) => r.id));
    for (const [i, r] of json.body.records.entries()) {
      expect(objects[i]).toEqual(
        Object.fromEntries(FEED_FIELDS.map((f) => [f, f === 'evidence' ? JSON.stringify(r.evidence) : escaped(r[f])])),
      );
      expect(JSON.parse(objects[i].evidence)).toEqual(r.evidence);
    }
    const row = objects.find((o) => o.id === tricky.id)!;
    expect(row.rule).toBe(`'=HYPERLINK("http://evil.example","click"), then pay`);
    expect(row.legalBasis).toBe(`'-Decree 802 Art 9\r\nsecond line`);
    expect(row.holderName).toBe(`'+Liu "Lan", 刘兰`);
    expect(JSON.parse(row.evidence).description).toBe('@SUM(1+1)\n第二行 "引号", comma');
    for (const cell of rows.slice(1).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('holds back records younger than the settle time, and refuses bad parameters (400)', async () => {
    const appWith = (settleSeconds: string) => {
      process.env.DUEPROCESS_FEED_SETTLE_SECONDS = settleSeconds;
      return createApp({
        prisma: stack.prisma,
        temporal: stack.client,
        templates: new Map(),
        authKey: stack.key,
        log: () => undefined,
      });
    };
    const immediate = appWith('0');
    const settling = appWith('3600');
    const fresh = await manualRecord('harbin-gov');
    const since = encodeURIComponent(new Date(Date.parse(fresh.createdAt) - 1).toISOString());
    expect(
      mine((await request(immediate).get(`/api/credit-feed?since=${since}`).set(supervisor)).body.records, [fresh.id]),
    ).toEqual([fresh.id]);
    expect(
      mine((await request(settling).get(`/api/credit-feed?since=${since}`).set(supervisor)).body.records, [fresh.id]),
    ).toEqual([]);

    for (const q of [
      `since=${since}&cursor=abc`,
      'cursor=bm90LWEtY3Vyc29y',
      'format=xml',
      'since=last-week',
      'limit=0',
      'other=1',
    ]) {
      const res = await feed(q);
      expect({ q, status: res.status, code: res.body.error?.code }).toEqual({ q, status: 400, code: 'INVALID_INPUT' });
    }
  });
});

describe('the annual list of overdue payments to SMEs (Decree 802 Art 18)', () => {
  it('lists SME payments overdue at any time in the year, with amounts in yuan, as JSON and CSV', async () => {
    const organ = uniq('sme-organ');
    await stack.prisma.organ.create({ data: { id: organ, name: 'Procurement centre' } });
    const commitment = async (isSme: boolean, counterpartyName: string) => {
      const id = uniq('cm');
      const now = new Date();
      await stack.prisma.commitment.create({
        data: {
          id,
          kind: 'contract',
          title: `Contract ${id}`,
          organId: organ,
          responsibleOfficeId: `${organ}/head`,
          counterpartyId: uniq('firm'),
          counterpartyName,
          counterpartyIsSme: isSme,
          status: 'active',
          revision: 1,
          state: {},
          createdAt: now,
          updatedAt: now,
        },
      });
      return id;
    };
    const sme = await commitment(true, '=cmd|" /C calc"!A0, Ltd');
    const large = await commitment(false, 'Big State Works');
    const d = (s: string | null) => (s ? new Date(`${s}T12:00:00+08:00`) : null);
    const obligation = async (
      commitmentId: string,
      kind: string,
      amountFen: bigint | null,
      due: string | null,
      overdue: string | null,
      fulfilled: string | null,
      status = fulfilled ? 'fulfilled' : 'overdue',
    ) => {
      const id = uniq('ob');
      await stack.prisma.obligation.create({
        data: {
          id,
          commitmentId,
          kind,
          description: `${kind} ${id}`,
          amountFen,
          dueAt: d(due),
          overdueSince: d(overdue),
          fulfilledAt: d(fulfilled),
          status,
        },
      });
      return id;
    };
    const paidLate = await obligation(sme, 'payment', 123456n, '2024-02-20', '2024-03-01', '2024-05-01');
    const unpaidSince2023 = await obligation(sme, 'payment', 5n, '2023-10-31', '2023-11-01', null);
    const unmarkedLate = await obligation(sme, 'payment', 100000n, '2024-02-01', null, '2024-02-20');
    const excluded = [
      await obligation(sme, 'payment', 700n, '2023-05-31', '2023-06-01', '2023-12-01'), // settled before the year
      await obligation(large, 'payment', 900n, '2024-03-31', '2024-04-01', null), // not an SME
      await obligation(sme, 'performance', null, '2024-03-31', '2024-04-01', null), // not a payment
      await obligation(sme, 'payment', 800n, '2024-12-31', '2025-01-10', null), // overdue only from the next year
      await obligation(sme, 'payment', 600n, '2024-06-01', null, '2024-05-01'), // paid on time
      await obligation(sme, 'payment', 500n, '2024-06-01', null, '2024-07-01', 'cancelled'), // cancelled by a lawful change, never marked overdue
    ];
    const cancelledWhileOverdue = await obligation(
      sme,
      'payment',
      400n,
      '2024-06-01',
      '2024-06-02',
      '2024-07-01',
      'cancelled',
    );
    const ours = [paidLate, unpaidSince2023, unmarkedLate, cancelledWhileOverdue, ...excluded];

    const json = await request(stack.app).get('/api/credit-feed/sme-overdue-payments?year=2024').set(supervisor);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      year: 2024,
      publishBy: '2025-03-31',
      yearComplete: true,
      fields: [...SME_FIELDS],
      legalBasis: expect.stringMatching(/Decree 802 Art 18/),
    });
    const listed = json.body.payments.filter((p: any) => ours.includes(p.obligationId));
    expect(listed.map((p: any) => p.obligationId).sort()).toEqual(
      [paidLate, unpaidSince2023, unmarkedLate, cancelledWhileOverdue].sort(),
    );
    const byId = Object.fromEntries(listed.map((p: any) => [p.obligationId, p]));
    expect(byId[paidLate]).toEqual({
      obligationId: paidLate,
      commitmentId: sme,
      commitmentTitle: `Contract ${sme}`,
      organId: organ,
      organName: 'Procurement centre',
      currentOrganId: organ,
      counterpartyId: expect.any(String),
      counterpartyName: '=cmd|" /C calc"!A0, Ltd',
      description: `payment ${paidLate}`,
      amountYuan: '1234.56',
      deliveredAt: null,
      dueAt: '2024-02-20T04:00:00.000Z',
      overdueSince: '2024-03-01T04:00:00.000Z',
      fulfilledAt: '2024-05-01T04:00:00.000Z',
      status: 'fulfilled',
    });
    expect(byId[cancelledWhileOverdue]).toMatchObject({ status: 'cancelled', fulfilledAt: '2024-07-01T04:00:00.000Z' });
    expect(byId[unpaidSince2023]).toMatchObject({
      amountYuan: '0.05',
      fulfilledAt: null,
      overdueSince: '2023-11-01T04:00:00.000Z',
    });
    expect(byId[unmarkedLate]).toMatchObject({ amountYuan: '1000.00', overdueSince: '2024-02-01T04:00:00.000Z' });

    const csv = await request(stack.app)
      .get('/api/credit-feed/sme-overdue-payments?year=2024&format=csv')
      .set(supervisor);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([...SME_FIELDS]);
    const row = asObjects(rows).find((o) => o.obligationId === paidLate)!;
    expect(row).toMatchObject({ counterpartyName: `'=cmd|" /C calc"!A0, Ltd`, amountYuan: '1234.56', deliveredAt: '' });
    expect(asObjects(rows).length).toBe(json.body.payments.length);

    for (const q of ['year=24', 'year=abc', 'year=2024&format=pdf', '']) {
      expect((await request(stack.app).get(`/api/credit-feed/sme-overdue-payments?${q}`).set(supervisor)).status).toBe(
        400,
      );
    }
  });
});
