import { Router } from 'express';
import { verifyChain } from '../../lib/audit-chain';
import type { Prisma } from '../../lib/db';
import { requireStaff, STAFF_READERS, type Auth } from '../auth';
import { ApiError, notFound } from '../errors';
import { idempotencyKey, param, parse } from '../http';
import { apiActionBodySchemas, changeRequestBody, createDecisionBody, dispositionBody, draftRevisionBody, isApiAction, listDecisionsQuery, API_ACTIONS } from './schemas';
import { performAction, requestChange, reviseDraft } from './actions';
import { createDecision } from './create';
import { disposeOpinion } from './opinions';
import { loadDecision, type DecisionDeps } from './service';
import { decisionSummary, decisionView, storedRecords } from './view';

// Staff endpoints for decisions. Each handler authenticates, validates, calls the workflow or
// reads the read model, and shapes the response.

export function decisionsRouter(deps: DecisionDeps & { auth: Auth }): Router {
  const r = Router();
  const staff = requireStaff(deps.auth, STAFF_READERS);
  const official = requireStaff(deps.auth, ['drafting-official']);
  // Writes on an existing decision accept any valid token: the role is checked by the gates,
  // so a refusal for a missing role is recorded in the decision's audit chain like any other.
  const authenticated = requireStaff(deps.auth);

  const respondWithDecision = async (id: string) => {
    const { state, recorded } = await loadDecision(deps, id);
    const records = recorded
      ? await deps.prisma.stageRecord.findMany({ where: { decisionId: id }, orderBy: { at: 'asc' } })
      : storedRecords(id, [...state.records, ...state.invalidatedRecords]);
    return decisionView(state, records);
  };

  r.post('/', official, async (req, res) => {
    const body = parse(createDecisionBody, req.body);
    const { result, state, records } = await createDecision(deps, req.actor!, body, idempotencyKey(req));
    // A retry of a recorded creation answers from the read model; a new one from the state the
    // workflow computes, with its creation records.
    const decision = records.length ? decisionView(state, storedRecords(state.id, records)) : await respondWithDecision(result.id);
    res.status(201).location(`/api/decisions/${result.id}`).json({ result, decision });
  });

  r.get('/', staff, async (req, res) => {
    const q = parse(listDecisionsQuery, req.query);
    const where: Prisma.DecisionWhereInput = {
      ...(q.stage ? { currentStage: q.stage } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.organ ? { organId: q.organ } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.prisma.decision.findMany({ where, orderBy: { updatedAt: 'desc' }, take: q.limit, skip: q.offset, omit: { state: true } }),
      deps.prisma.decision.count({ where }),
    ]);
    res.json({ total, limit: q.limit, offset: q.offset, decisions: rows.map(decisionSummary) });
  });

  r.get('/:id', staff, async (req, res) => {
    res.json({ decision: await respondWithDecision(param(req, 'id')) });
  });

  r.post('/:id/actions/:action', authenticated, async (req, res) => {
    const action = param(req, 'action');
    if (!isApiAction(action)) {
      throw new ApiError(404, 'ACTION_UNKNOWN', `there is no action "${action}"${action === 'revise-draft' ? '; upload a revision to /drafts' : ''}`, { actions: API_ACTIONS });
    }
    const body = parse(apiActionBodySchemas[action], req.body ?? {});
    const id = param(req, 'id');
    const result = await performAction(deps, req.actor!, id, action, body as Record<string, unknown>, idempotencyKey(req));
    res.json({ result, decision: await respondWithDecision(id) });
  });

  r.post('/:id/changes', authenticated, async (req, res) => {
    const body = parse(changeRequestBody, req.body);
    const id = param(req, 'id');
    const result = await requestChange(deps, req.actor!, id, body, idempotencyKey(req));
    const decision = await respondWithDecision(id);
    res.status(201).json({ result, changeId: result.changeId, decision });
  });

  r.post('/:id/changes/:changeId/actions/:action', authenticated, async (req, res) => {
    const action = param(req, 'action');
    if (!isApiAction(action)) throw new ApiError(404, 'ACTION_UNKNOWN', `there is no action "${action}"`, { actions: API_ACTIONS });
    const body = parse(apiActionBodySchemas[action], req.body ?? {});
    const id = param(req, 'id');
    const result = await performAction(deps, req.actor!, id, action, body as Record<string, unknown>, idempotencyKey(req), param(req, 'changeId'));
    res.json({ result, decision: await respondWithDecision(id) });
  });

  r.post('/:id/changes/:changeId/drafts', authenticated, async (req, res) => {
    const body = parse(draftRevisionBody, req.body);
    const id = param(req, 'id');
    const result = await reviseDraft(deps, req.actor!, id, body, idempotencyKey(req), param(req, 'changeId'));
    res.status(201).json({ result, decision: await respondWithDecision(id) });
  });

  r.post('/:id/drafts', authenticated, async (req, res) => {
    const body = parse(draftRevisionBody, req.body);
    const id = param(req, 'id');
    const result = await reviseDraft(deps, req.actor!, id, body, idempotencyKey(req));
    res.status(201).json({ result, decision: await respondWithDecision(id) });
  });

  r.get('/:id/drafts/:hash', staff, async (req, res) => {
    const doc = await deps.prisma.draftDocument.findUnique({ where: { decisionId_hash: { decisionId: param(req, 'id'), hash: param(req, 'hash') } } });
    if (!doc) throw notFound('draft');
    res.json({ draft: { hash: doc.hash, text: doc.text, explanation: doc.explanation, createdBy: doc.createdBy, createdAt: doc.createdAt.toISOString() } });
  });

  r.get('/:id/opinions', staff, async (req, res) => {
    const id = param(req, 'id');
    await loadDecision(deps, id);
    const rows = await deps.prisma.opinion.findMany({ where: { decisionId: id }, orderBy: { createdAt: 'asc' }, omit: { contact: true, clientKey: true } });
    res.json({ opinions: rows });
  });

  r.put('/:id/opinions/:receipt/disposition', authenticated, async (req, res) => {
    const body = parse(dispositionBody, req.body);
    const id = param(req, 'id');
    const updated = await disposeOpinion(deps, req.actor!, id, param(req, 'receipt'), body);
    res.json({ opinion: updated });
  });

  r.get('/:id/audit', staff, async (req, res) => {
    const id = param(req, 'id');
    await loadDecision(deps, id);
    const entries = await deps.prisma.auditEntry.findMany({ where: { decisionId: id }, orderBy: { seq: 'asc' } });
    res.json({ decisionId: id, entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  r.get('/:id/audit/verify', staff, async (req, res) => {
    const id = param(req, 'id');
    await loadDecision(deps, id);
    res.json(await verifyChain(deps.prisma, id));
  });

  return r;
}
