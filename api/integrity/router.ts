import { Router, type Response } from 'express';
import { eligibility, eligibilityYears } from '../../lib/integrity';
import { requireStaff, STAFF_READERS, type Auth } from '../auth';
import type { DecisionDeps } from '../decisions/service';
import { notFound } from '../errors';
import { idempotencyKey, param, parse } from '../http';
import { toCsv } from './csv';
import { creditFeed, FEED_FIELDS, feedCsvRow, feedSettleSeconds, SME_FIELDS, smeOverduePayments } from './feed';
import { creditFeedQuery, disputeBody, eligibilityQuery, listRecordsQuery, manualRecordBody, resolveDisputeBody, smeOverdueQuery } from './schemas';
import { createManualRecord, fileDispute, getRecord, listRecords, recordViews, resolveDispute } from './service';

// Integrity records, disputes, eligibility and the credit-platform feed (issue 3, part 6;
// DOMAIN §5). Staff read records; supervisors record, resolve disputes and read the feed; the
// person or organ a record names may dispute it. Settings are read once, when the router is built.

function sendCsv(res: Response, filename: string, body: string): void {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8; header=present', 'Content-Disposition': `attachment; filename="${filename}"` }).send(Buffer.from(body, 'utf8'));
}

export function integrityRouter(deps: DecisionDeps & { auth: Auth }): Router {
  const r = Router();
  const { prisma } = deps;
  const staff = requireStaff(deps.auth, STAFF_READERS);
  const supervisor = requireStaff(deps.auth, ['supervisor']);
  // Who may dispute depends on the record (the person or organ it names): checked by the service.
  const authenticated = requireStaff(deps.auth);
  const years = eligibilityYears();
  const settleSeconds = feedSettleSeconds();

  r.get('/integrity-records', staff, async (req, res) => {
    res.json(await listRecords(prisma, parse(listRecordsQuery, req.query)));
  });

  r.get('/integrity-records/:id', staff, async (req, res) => {
    res.json({ record: await getRecord(prisma, param(req, 'id')) });
  });

  r.post('/integrity-records', supervisor, async (req, res) => {
    const body = parse(manualRecordBody, req.body);
    const { record, duplicate } = await createManualRecord(prisma, req.actor!, body, idempotencyKey(req));
    res.status(duplicate ? 200 : 201).location(`/api/integrity-records/${record.id}`).json({ record });
  });

  r.post('/integrity-records/:id/disputes', authenticated, async (req, res) => {
    const { grounds } = parse(disputeBody, req.body);
    const dispute = await fileDispute(prisma, req.actor!, param(req, 'id'), grounds);
    res.status(201).json({ dispute, record: await getRecord(prisma, dispute.recordId) });
  });

  r.post('/integrity-disputes/:id/resolve', supervisor, async (req, res) => {
    const body = parse(resolveDisputeBody, req.body);
    const result = await resolveDispute(prisma, req.actor!, param(req, 'id'), body);
    res.json({ ...result, record: await getRecord(prisma, result.dispute.recordId) });
  });

  r.get('/eligibility', staff, async (req, res) => {
    const q = parse(eligibilityQuery, req.query);
    const at = q.at ?? new Date();
    if (q.official && !(await prisma.staffUser.findUnique({ where: { id: q.official } }))) throw notFound('official');
    if (q.organ && !(await prisma.organ.findUnique({ where: { id: q.organ } }))) throw notFound('organ');
    const subject = q.official ? { official: q.official } : { organ: q.organ! };
    const e = await eligibility(prisma, subject, at, years);
    res.json({
      subject: { ...subject, ...(e.organs ? { organs: e.organs } : {}) },
      at: at.toISOString(),
      eligible: e.eligible,
      window: { from: e.window.from.toISOString(), to: e.window.to.toISOString(), years: e.window.years },
      legalBasis: 'DOMAIN §1, §5 (people and organs with untrustworthiness records lose eligibility for selection and commendation)',
      counting: await recordViews(prisma, e.counting),
    });
  });

  r.get('/credit-feed', supervisor, async (req, res) => {
    const q = parse(creditFeedQuery, req.query);
    const feed = await creditFeed(prisma, q, settleSeconds);
    if (q.format === 'json') {
      res.json({ fields: FEED_FIELDS, ...feed });
      return;
    }
    res.set({ 'X-Feed-Since': feed.since, 'X-Feed-Next-Since': feed.next.since, 'X-Feed-Complete': String(feed.complete) });
    if (feed.next.cursor) res.set('X-Feed-Next-Cursor', feed.next.cursor);
    sendCsv(res, `integrity-records-after-${feed.since.replace(/[:.]/g, '')}.csv`, toCsv(FEED_FIELDS, feed.records.map(feedCsvRow)));
  });

  r.get('/credit-feed/sme-overdue-payments', supervisor, async (req, res) => {
    const q = parse(smeOverdueQuery, req.query);
    const list = await smeOverduePayments(prisma, q.year);
    if (q.format === 'json') {
      res.json({ fields: SME_FIELDS, ...list });
      return;
    }
    res.set({ 'X-Publish-By': list.publishBy, 'X-Year-Complete': String(list.yearComplete) });
    sendCsv(res, `sme-overdue-payments-${q.year}.csv`, toCsv(SME_FIELDS, list.payments));
  });

  return r;
}
