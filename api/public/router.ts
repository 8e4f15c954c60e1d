import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { splitParagraphs } from '../../domain/draft';
import { publicChain } from '../../lib/checkpoints';
import { logNotifier, type Notifier } from '../../lib/notifier';
import { clientKey, publicLimits } from '../../lib/rate-limit';
import type { AuthKey } from '../auth';
import { loadDecision, type DecisionDeps } from '../decisions/service';
import { inForceQuery, surveyAnswerBody } from '../decisions/schemas';
import { inForceAt } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { idempotencyKey, param, parse } from '../http';
import { publicErrors, publicPortalApi } from './portal';
import { publicOpinionBody } from './schemas';
import { submitOpinion, submitSurveyAnswer, verificationRequired, type PublicServices } from './submission';

// Public input, no token needed: written straight to PostgreSQL while the window is open, never
// into workflow history. Outside the window nothing is stored and the answer says why. Every
// submission passes the per-client rate limits and the verification its template requires; the
// portal's forms go through the same functions (./submission.ts).

export type PublicDeps = DecisionDeps & { authKey?: AuthKey; notifier?: Notifier };

export function publicServices(deps: PublicDeps): PublicServices {
  return { prisma: deps.prisma, notifier: deps.notifier ?? logNotifier, secret: deps.authKey?.secret ?? randomBytes(32), limits: publicLimits() };
}

export const clientOf = (req: Request) => clientKey(req.ip);

export function publicInputRouter(deps: PublicDeps): Router {
  const r = Router();
  const services = publicServices(deps);

  /** What the public may read: a decision once its draft is pre-disclosed (Decree 713 Art 15). */
  r.get('/public/decisions/:id', async (req, res) => {
    const id = param(req, 'id');
    const { state } = await loadDecision(deps, id);
    if (!state.windows.length) throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found or not yet disclosed`);
    const doc = await deps.prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: id, hash: state.draft.hash } } });
    const predisclosure = await deps.prisma.stageRecord.findFirst({ where: { decisionId: id, kind: 'predisclosure' }, orderBy: { at: 'desc' } });
    const now = Date.now();
    res.json({
      decision: {
        id,
        title: state.title,
        summary: state.summary,
        status: state.status,
        currentStage: state.currentStage,
        statutory: state.template.statutory,
        howToComment: (predisclosure?.content as { howToComment?: string } | undefined)?.howToComment ?? null,
        verification: verificationRequired(state) ?? 'none',
        draft: {
          version: state.draft.version,
          hash: state.draft.hash,
          explanation: doc?.explanation ?? null,
          paragraphs: doc ? splitParagraphs(doc.text).map((text, i) => ({ number: i + 1, text })) : [],
        },
        windows: state.windows.map((w) => ({
          kind: w.kind,
          round: w.round,
          opensAt: new Date(w.opensAt).toISOString(),
          closesAt: w.closesAt === null ? null : new Date(w.closesAt).toISOString(),
          open: !w.frozen && w.opensAt <= now && (w.closesAt ?? 0) > now,
          urgencyReason: w.urgencyReason,
          submissions: w.frozen?.count ?? null,
          ...(w.questions ? { questions: w.questions } : {}),
        })),
      },
      // The decision's audit chain, links only (no bodies): its head, to compare with a signed
      // checkpoint (npm run verify-checkpoint).
      auditChain: await publicChain(deps.prisma, id),
    });
  });

  /** Which text of a published decision was in force at a moment, and the procedure that adopted it. */
  r.get('/public/decisions/:id/in-force', async (req, res) => {
    const id = param(req, 'id');
    const { at } = parse(inForceQuery, req.query);
    const { state } = await loadDecision(deps, id);
    if (state.publishedAt === null) throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found or not published`);
    const answer = inForceAt(state, at ? Date.parse(at) : Date.now());
    const v = answer.version;
    const doc = v ? await deps.prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: id, hash: v.hash } } }) : null;
    const records = v ? await deps.prisma.stageRecord.findMany({ where: { decisionId: id, procedureId: v.adoptedBy }, orderBy: { at: 'asc' }, select: { stage: true, kind: true, at: true, draftVersion: true } }) : [];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    res.json({
      decisionId: id,
      at: new Date(answer.at).toISOString(),
      status: answer.status,
      version: v ? { version: v.version, hash: v.hash, from: iso(v.from), until: iso(v.until), adoptedBy: v.adoptedBy } : null,
      suspension: answer.suspension ? { from: iso(answer.suspension.from), until: iso(answer.suspension.until), ratified: answer.suspension.ratified } : null,
      text: doc?.text ?? null,
      explanation: doc?.explanation ?? null,
      procedure: records.map((r) => ({ ...r, at: r.at.toISOString() })),
    });
  });

  r.post('/decisions/:id/opinions', async (req, res) => {
    const body = parse(publicOpinionBody, req.body);
    const id = param(req, 'id');
    const a = await submitOpinion(services, clientOf(req), id, {
      paragraph: body.paragraph ?? null,
      text: body.text,
      name: body.name ?? null,
      contact: body.contact ?? null,
      clientKey: idempotencyKey(req) ?? randomUUID(),
      verification: body.verification,
    });
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  r.post('/decisions/:id/survey-answers', async (req, res) => {
    const body = parse(surveyAnswerBody, req.body);
    const id = param(req, 'id');
    const a = await submitSurveyAnswer(services, clientOf(req), id, body.answers, idempotencyKey(req) ?? randomUUID());
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  r.use(publicPortalApi(deps, services));
  r.use(publicErrors);
  return r;
}
