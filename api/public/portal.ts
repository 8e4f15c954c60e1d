import { Router, type ErrorRequestHandler } from 'express';
import {
  readPublicOpinions,
  readReceipt,
  readSurveyResults,
  registerForHearing,
  requestVerification,
  hearingRegistrationBody,
  verificationBody,
} from '../../app/public';
import type { AppDeps } from '../../app/deps';
import { publicSecret } from '../../app/public/client';
import { resolveActor } from '../../lib/directory';
import { moderateOpinion } from '../../app/decisions/opinions';
import { ModerationError } from '../../lib/moderation';
import { requireStaff } from '../auth';
import { ApiError } from '../errors';
import { idempotencyKey, param, parse } from '../http';
import { clientOf, type PublicDeps } from './deps';
import { moderationBody } from './schemas';
import { opinionsView, receiptView, surveyResultsView } from './views';

// The public JSON endpoints added with the portal, so the API and the pages behave the same
// (both call app/public): verification codes, hearing registration, receipt look-up, the
// opinions with their handling under the visibility rule, survey results once the window is
// frozen; and, for staff, moderation with a recorded reason.

export function publicPortalApi(deps: PublicDeps, app: AppDeps): Router {
  const r = Router();

  r.post('/decisions/:id/verifications', async (req, res) => {
    const body = parse(verificationBody, req.body);
    const sent = await requestVerification(
      clientOf(app, req),
      { decisionId: param(req, 'id'), ...body, idempotencyKey: idempotencyKey(req) },
      app,
    );
    res
      .status(sent.duplicate ? 200 : 201)
      .json({ verificationId: sent.id, channel: body.channel, expiresAt: sent.expiresAt.toISOString() });
  });

  r.post('/decisions/:id/hearing-registrations', async (req, res) => {
    const body = parse(hearingRegistrationBody, req.body);
    const id = param(req, 'id');
    const reg = await registerForHearing(
      clientOf(app, req),
      { decisionId: id, ...body, idempotencyKey: idempotencyKey(req) },
      app,
    );
    res.status(reg.duplicate ? 200 : 201).json({ receipt: reg.id, decisionId: id, duplicate: reg.duplicate });
  });

  r.get('/public/receipts/:receipt', async (req, res) => {
    res.json(receiptView(await readReceipt(clientOf(app, req), { receipt: param(req, 'receipt') }, app)));
  });

  r.get('/public/decisions/:id/opinions', async (req, res) => {
    res.json(opinionsView(await readPublicOpinions(clientOf(app, req), { decisionId: param(req, 'id') }, app)));
  });

  r.get('/public/decisions/:id/survey-results', async (req, res) => {
    const id = param(req, 'id');
    res.json(surveyResultsView(id, await readSurveyResults(clientOf(app, req), { decisionId: id }, app)));
  });

  // Staff moderation stays here until app/decisions has its moderation command (issue 9).
  const staff = requireStaff({
    key: deps.authKey ?? { secret: publicSecret(app) },
    resolve: (u) => resolveActor(deps.prisma, u),
  });
  r.post('/decisions/:id/opinions/:receipt/moderation', staff, async (req, res) => {
    const body = parse(moderationBody, req.body);
    const { action, log } = await moderateOpinion(
      req.actor!,
      { decisionId: param(req, 'id'), receipt: param(req, 'receipt'), action: body.action, reason: body.reason },
      app,
    );
    res.status(201).json({
      action: { ...action, at: action.at.toISOString() },
      log: log.map((a) => ({ ...a, at: a.at.toISOString() })),
    });
  });

  return r;
}

/** Maps moderation errors to API errors and adds Retry-After to a 429; the app's handler answers. */
export const publicErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (err instanceof ModerationError) return next(new ApiError(err.status, err.code, err.message));
  if (err instanceof ApiError && err.status === 429)
    res.set('Retry-After', String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60));
  next(err);
};
