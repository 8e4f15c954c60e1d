import { Router, type Response } from 'express';
import type { AppDeps } from '../../app/deps';
import {
  creditFeed,
  FEED_FIELDS,
  feedCsvRow,
  feedSettleSeconds,
  SME_FIELDS,
  smeOverduePayments,
} from '../../app/integrity/feed';
import {
  checkEligibility,
  disputeRecord,
  fileRecord,
  listRecords,
  readRecord,
  resolveDispute,
} from '../../app/integrity/records';
import {
  creditFeedQuery,
  disputeBody,
  eligibilityQuery,
  listRecordsQuery,
  resolveDisputeBody,
  smeOverdueQuery,
} from '../../app/integrity/schemas';
import { eligibilityYears } from '../../lib/integrity';
import { toCsv } from '../../lib/csv';
import { requireStaff, type Auth } from '../auth';
import { idempotencyKey, param, parse } from '../http';

// Integrity records, disputes, eligibility and the credit-platform feed over HTTP (issue 3, part
// 6; DOMAIN §5): parse, call one function of app/integrity, answer (JSON, or CSV for the feed).
// Who may do what is decided there (docs/authority.md). Settings are read once, when the router is built.

function sendCsv(res: Response, filename: string, body: string): void {
  res
    .set({
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${filename}"`,
    })
    .send(Buffer.from(body, 'utf8'));
}

export function integrityRouter(deps: AppDeps & { auth: Auth }): Router {
  const r = Router();
  const signedIn = requireStaff(deps.auth);
  const years = eligibilityYears();
  const settleSeconds = feedSettleSeconds();

  r.get('/integrity-records', signedIn, async (req, res) => {
    res.json(await listRecords(req.actor!, parse(listRecordsQuery, req.query), deps));
  });

  r.get('/integrity-records/:id', signedIn, async (req, res) => {
    res.json({ record: await readRecord(req.actor!, { id: param(req, 'id') }, deps) });
  });

  r.post('/integrity-records', signedIn, async (req, res) => {
    const { record, duplicate } = await fileRecord(req.actor!, { body: req.body, key: idempotencyKey(req) }, deps);
    res
      .status(duplicate ? 200 : 201)
      .location(`/api/integrity-records/${record.id}`)
      .json({ record });
  });

  r.post('/integrity-records/:id/disputes', signedIn, async (req, res) => {
    const { grounds } = parse(disputeBody, req.body);
    res.status(201).json(await disputeRecord(req.actor!, { recordId: param(req, 'id'), grounds }, deps));
  });

  r.post('/integrity-disputes/:id/resolve', signedIn, async (req, res) => {
    const body = parse(resolveDisputeBody, req.body);
    res.json(await resolveDispute(req.actor!, { disputeId: param(req, 'id'), body }, deps));
  });

  r.get('/eligibility', signedIn, async (req, res) => {
    res.json(await checkEligibility(req.actor!, { ...parse(eligibilityQuery, req.query), years }, deps));
  });

  r.get('/credit-feed', signedIn, async (req, res) => {
    const q = parse(creditFeedQuery, req.query);
    const feed = await creditFeed(req.actor!, { ...q, settleSeconds }, deps);
    if (q.format === 'json') {
      res.json({ fields: FEED_FIELDS, ...feed });
      return;
    }
    res.set({
      'X-Feed-Since': feed.since,
      'X-Feed-Next-Since': feed.next.since,
      'X-Feed-Complete': String(feed.complete),
    });
    if (feed.next.cursor) res.set('X-Feed-Next-Cursor', feed.next.cursor);
    sendCsv(
      res,
      `integrity-records-after-${feed.since.replace(/[:.]/g, '')}.csv`,
      toCsv(FEED_FIELDS, feed.records.map(feedCsvRow)),
    );
  });

  r.get('/credit-feed/sme-overdue-payments', signedIn, async (req, res) => {
    const q = parse(smeOverdueQuery, req.query);
    const list = await smeOverduePayments(req.actor!, q, deps);
    if (q.format === 'json') {
      res.json({ fields: SME_FIELDS, ...list });
      return;
    }
    res.set({ 'X-Publish-By': list.publishBy, 'X-Year-Complete': String(list.yearComplete) });
    sendCsv(res, `sme-overdue-payments-${q.year}.csv`, toCsv(SME_FIELDS, list.payments));
  });

  return r;
}
