import { randomUUID } from 'node:crypto';
import { Router, type ErrorRequestHandler } from 'express';
import type { DecisionState } from '../../domain/procedure';
import { resolveActor } from '../../lib/directory';
import { moderateOpinion } from '../../app/decisions/opinions';
import { ModerationError } from '../../lib/moderation';
import { opinionReport, receiptLookup } from '../../lib/public-opinions';
import { isPublic } from '../../lib/public-decision';
import { clientKey as client, consume } from '../../lib/rate-limit';
import { surveyResults } from '../../lib/survey';
import { requireStaff } from '../auth';
import { ApiError, notFound } from '../errors';
import { idempotencyKey, param, parse } from '../http';
import type { PublicDeps } from './router';
import { hearingRegistrationBody, moderationBody, verificationBody } from './schemas';
import { registerForHearing, requestCode, type PublicServices } from './submission';

// The public JSON endpoints added with the portal, so the API and the pages behave the same:
// verification codes, hearing registration, receipt look-up, the opinions with their handling,
// survey results once the window is frozen; and, for staff, moderation with a recorded reason.


async function publicState(s: PublicServices, id: string): Promise<DecisionState> {
  const row = await s.prisma.decision.findUnique({ where: { id }, select: { state: true } });
  const state = row?.state as unknown as DecisionState | undefined;
  if (!state || !isPublic(state)) throw new ApiError(404, 'DECISION_NOT_FOUND', `decision ${id} not found or not yet disclosed`);
  return state;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function publicPortalApi(deps: PublicDeps, s: PublicServices): Router {
  const r = Router();

  r.post('/decisions/:id/verifications', async (req, res) => {
    const body = parse(verificationBody, req.body);
    const sent = await requestCode(s, client(req.ip), param(req, 'id'), body.channel, body.destination);
    res.status(201).json({ verificationId: sent.id, channel: body.channel, expiresAt: sent.expiresAt.toISOString() });
  });

  r.post('/decisions/:id/hearing-registrations', async (req, res) => {
    const body = parse(hearingRegistrationBody, req.body);
    const id = param(req, 'id');
    const reg = await registerForHearing(s, client(req.ip), { decisionId: id, name: body.name, contact: body.contact, represents: body.represents, statement: body.statement ?? null, clientKey: idempotencyKey(req) ?? randomUUID() });
    res.status(reg.duplicate ? 200 : 201).json({ receipt: reg.id, decisionId: id, duplicate: reg.duplicate });
  });

  r.get('/public/receipts/:receipt', async (req, res) => {
    const d = await consume(s.prisma, [{ rule: s.limits.lookup, subject: client(req.ip) }]);
    if (!d.allowed) throw new ApiError(429, 'RATE_LIMITED', `too many look-ups; try again in ${d.retryAfterSeconds} s`, { retryAfterSeconds: d.retryAfterSeconds });
    const found = await receiptLookup(s.prisma, param(req, 'receipt'));
    if (!found) throw notFound('receipt');
    const o = found.opinion;
    res.json({
      receipt: o.receipt,
      decision: found.decision,
      paragraph: o.paragraph,
      submittedAt: o.submittedAt.toISOString(),
      text: o.text,
      hidden: o.hidden ? { reason: o.hidden.reason, at: o.hidden.at.toISOString() } : null,
      disposition: o.disposition,
      dispositionReason: o.dispositionReason,
      disposedAt: iso(o.disposedAt),
      campaignSize: o.campaignSize,
      window: found.window ? { closesAt: found.window.closesAt.toISOString(), frozen: found.window.frozenAt !== null } : null,
    });
  });

  r.get('/public/decisions/:id/opinions', async (req, res) => {
    const id = param(req, 'id');
    await publicState(s, id);
    const report = await opinionReport(s.prisma, id);
    res.json({
      ...report,
      opinions: report.opinions.map((o) => ({ ...o, submittedAt: o.submittedAt.toISOString(), disposedAt: iso(o.disposedAt), hidden: o.hidden ? { reason: o.hidden.reason, at: o.hidden.at.toISOString() } : null })),
    });
  });

  r.get('/public/decisions/:id/survey-results', async (req, res) => {
    const id = param(req, 'id');
    const state = await publicState(s, id);
    const survey = [...state.windows].reverse().find((w) => w.kind === 'survey');
    if (!survey) throw notFound('survey');
    if (!survey.frozen) throw new ApiError(409, 'WINDOW_STILL_OPEN', 'survey results are published once the survey window has closed', undefined, 'Decree 713 Art 15');
    res.json({ decisionId: id, results: await surveyResults(s.prisma, survey.id) });
  });

  const staff = requireStaff({ key: deps.authKey ?? { secret: s.secret }, resolve: (u) => resolveActor(deps.prisma, u) });
  r.post('/decisions/:id/opinions/:receipt/moderation', staff, async (req, res) => {
    const body = parse(moderationBody, req.body);
    const { action, log } = await moderateOpinion(req.actor!, { decisionId: param(req, 'id'), receipt: param(req, 'receipt'), action: body.action, reason: body.reason }, s);
    res.status(201).json({ action: { ...action, at: action.at.toISOString() }, log: log.map((a) => ({ ...a, at: a.at.toISOString() })) });
  });

  return r;
}

/** Maps moderation errors to API errors and adds Retry-After to a 429; the app's handler answers. */
export const publicErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (err instanceof ModerationError) return next(new ApiError(err.status, err.code, err.message));
  if (err instanceof ApiError && err.status === 429) res.set('Retry-After', String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60));
  next(err);
};
