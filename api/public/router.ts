import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { splitParagraphs } from '../../domain/draft';
import { acceptOpinion, acceptSurveyAnswer, type Acceptance } from '../../lib/public-input';
import { loadDecision, type DecisionDeps } from '../decisions/service';
import { inForceQuery, opinionBody, surveyAnswerBody } from '../decisions/schemas';
import { inForceAt } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { ApiError, fieldError } from '../errors';
import { idempotencyKey, param, parse } from '../http';

// Public input, no token needed: written straight to PostgreSQL while the window is open, never
// into workflow history. Outside the window nothing is stored and the answer says why.

function refuseClosed(a: Exclude<Acceptance, { accepted: true }>, what: string): never {
  throw new ApiError(
    409,
    'WINDOW_CLOSED',
    a.reason === 'no-window' ? `this decision is not open for ${what}` : `the ${what} window has closed; nothing was stored`,
    undefined,
    'Decree 713 Art 15 (opinions are accepted only within the published period)',
  );
}

type Question = { id: string; kind: 'single-choice' | 'multiple-choice' | 'text'; options?: string[] };

function checkAnswers(questions: Question[], answers: Record<string, string | string[]>): void {
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.find((x) => x.id === id);
    const path = `answers.${id}`;
    if (!q) throw fieldError(path, 'no such question');
    if (q.kind === 'multiple-choice') {
      if (!Array.isArray(value) || value.some((v) => !q.options?.includes(v))) throw fieldError(path, `choose among ${q.options?.join(', ')}`);
    } else if (typeof value !== 'string') {
      throw fieldError(path, 'expected one answer');
    } else if (q.kind === 'single-choice' && !q.options?.includes(value)) {
      throw fieldError(path, `choose one of ${q.options?.join(', ')}`);
    }
  }
}

export function publicInputRouter(deps: DecisionDeps): Router {
  const r = Router();

  /** What the public may read: a decision once its draft is pre-disclosed (Decree 713 Art 15). */
  r.get('/public/decisions/:id', async (req, res) => {
    const id = param(req, 'id');
    const { row, state } = await loadDecision(deps, id);
    if (!state.windows.length) throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found or not yet disclosed`);
    const doc = await deps.prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: id, hash: row.draftHash } } });
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
    const body = parse(opinionBody, req.body);
    const id = param(req, 'id');
    const { row } = await loadDecision(deps, id);
    if (body.paragraph !== undefined) {
      const doc = await deps.prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: id, hash: row.draftHash } } });
      const count = doc ? splitParagraphs(doc.text).length : 0;
      if (body.paragraph > count) throw fieldError('paragraph', `the draft has ${count} paragraphs`);
    }
    const a = await acceptOpinion(deps.prisma, {
      decisionId: id,
      paragraph: body.paragraph ?? null,
      text: body.text,
      authorName: body.name ?? null,
      contact: body.contact ?? null,
      clientKey: idempotencyKey(req) ?? randomUUID(),
    });
    if (!a.accepted) refuseClosed(a, 'comment');
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  r.post('/decisions/:id/survey-answers', async (req, res) => {
    const body = parse(surveyAnswerBody, req.body);
    const id = param(req, 'id');
    const { state } = await loadDecision(deps, id);
    const survey = [...state.windows].reverse().find((w) => w.kind === 'survey');
    if (!survey) refuseClosed({ accepted: false, reason: 'no-window' }, 'survey');
    checkAnswers((survey.questions ?? []) as Question[], body.answers);
    const a = await acceptSurveyAnswer(deps.prisma, { decisionId: id, answers: body.answers, clientKey: idempotencyKey(req) ?? randomUUID() });
    if (!a.accepted) refuseClosed(a, 'survey');
    res.status(a.duplicate ? 200 : 201).json({ receipt: a.id, decisionId: id, duplicate: a.duplicate });
  });

  return r;
}
