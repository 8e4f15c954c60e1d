import { Router } from 'express';
import {
  readDisclosedDecision,
  readInForceText,
  submitOpinion,
  submitSurveyAnswer,
  readPublicChain,
  inForceQuery,
  publicOpinionBody,
  surveyAnswerBody,
} from '../../app/public';
import { idempotencyKey, param, parse } from '../http';
import { clientOf, publicAppDeps, type PublicDeps } from './deps';
import { publicErrors, publicPortalApi } from './portal';
import { decisionView, inForceView } from './views';

// Public input and reads, no token needed: each route parses, calls one function of app/public,
// and presents its answer. Opinions and answers are written straight to PostgreSQL while the
// window is open, never into workflow history; outside the window nothing is stored and the
// answer says why. A client's Idempotency-Key is scoped to the client (app/public/client.ts).

export { clientOf, publicAppDeps, type PublicDeps } from './deps';

export function publicInputRouter(deps: PublicDeps): Router {
  const r = Router();
  const app = publicAppDeps(deps);

  /** What the public may read: a decision once it is disclosed (Decree 713 Arts 15, 32). */
  r.get('/public/decisions/:id', async (req, res) => {
    const client = clientOf(app, req);
    const decisionId = param(req, 'id');
    const decision = decisionView(await readDisclosedDecision(client, { decisionId }, app));
    // The chain's links (no bodies) and its head, to check against a kept checkpoint (npm run verify-checkpoint).
    res.json({ decision, auditChain: await readPublicChain(client, { decisionId }, app) });
  });

  /** Which text of a published decision was in force at a moment, and the procedure that adopted it. */
  r.get('/public/decisions/:id/in-force', async (req, res) => {
    const { at } = parse(inForceQuery, req.query);
    res.json(
      inForceView(
        await readInForceText(
          clientOf(app, req),
          { decisionId: param(req, 'id'), ...(at ? { at: Date.parse(at) } : {}) },
          app,
        ),
      ),
    );
  });

  r.post('/decisions/:id/opinions', async (req, res) => {
    const body = parse(publicOpinionBody, req.body);
    const id = param(req, 'id');
    const a = await submitOpinion(
      clientOf(app, req),
      { ...body, decisionId: id, idempotencyKey: idempotencyKey(req) },
      app,
    );
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  r.post('/decisions/:id/survey-answers', async (req, res) => {
    const body = parse(surveyAnswerBody, req.body);
    const id = param(req, 'id');
    const a = await submitSurveyAnswer(
      clientOf(app, req),
      { decisionId: id, answers: body.answers, idempotencyKey: idempotencyKey(req) },
      app,
    );
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  r.use(publicPortalApi(deps, app));
  r.use(publicErrors);
  return r;
}
