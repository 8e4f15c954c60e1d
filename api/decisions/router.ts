import { Router } from 'express';
import { act, reviseDraft, requestChange } from '../../app/decisions/act';
import { createDecision } from '../../app/decisions/create';
import { disposeOpinion, staffOpinions } from '../../app/decisions/opinions';
import {
  listDecisions,
  readAudit,
  readDecision,
  readDraft,
  storedRecords,
  verifyAudit,
} from '../../app/decisions/queries';
import type { AppDeps } from '../../app/deps';
import type { Actor } from '../../domain/procedure';
import { requireStaff, type Auth } from '../auth';
import { idempotencyKey, param } from '../http';
import { decisionSummary, decisionView } from './view';

// Staff endpoints for decisions. Each handler authenticates, reads the path and headers, calls
// one function of the application layer (app/decisions/, which parses, authorizes and audits),
// and presents the result as JSON. A signed-in person is all the router requires: what they may
// do is decided by the application, so every refused attempt on a decision reaches its audit chain.

export function decisionsRouter(deps: AppDeps & { auth: Auth }): Router {
  const r = Router();
  const signedIn = requireStaff(deps.auth);

  const present = async (actor: Actor, id: string) => {
    const { state, records } = await readDecision(actor, id, deps);
    return decisionView(state, records);
  };

  r.post('/', signedIn, async (req, res) => {
    const { result, state, records } = await createDecision(
      req.actor!,
      { body: req.body, idempotencyKey: idempotencyKey(req) },
      deps,
    );
    // A retry of a recorded creation answers from the read model; a new one from the state the
    // workflow computes, with its creation records.
    const decision = records.length
      ? decisionView(state, storedRecords(state.id, records))
      : await present(req.actor!, result.id);
    res.status(201).location(`/api/decisions/${result.id}`).json({ result, decision });
  });

  r.get('/', signedIn, async (req, res) => {
    const list = await listDecisions(req.actor!, req.query, deps);
    res.json({ ...list, decisions: list.decisions.map(decisionSummary) });
  });

  r.get('/:id', signedIn, async (req, res) => {
    res.json({ decision: await present(req.actor!, param(req, 'id')) });
  });

  r.post('/:id/actions/:action', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const result = await act(
      req.actor!,
      { decisionId: id, action: param(req, 'action'), body: req.body, idempotencyKey: idempotencyKey(req) },
      deps,
    );
    res.json({ result, decision: await present(req.actor!, id) });
  });

  r.post('/:id/changes', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const result = await requestChange(
      req.actor!,
      { decisionId: id, body: req.body, idempotencyKey: idempotencyKey(req) },
      deps,
    );
    res.status(201).json({ result, changeId: result.changeId, decision: await present(req.actor!, id) });
  });

  r.post('/:id/changes/:changeId/actions/:action', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const input = {
      decisionId: id,
      action: param(req, 'action'),
      changeId: param(req, 'changeId'),
      body: req.body,
      idempotencyKey: idempotencyKey(req),
    };
    const result = await act(req.actor!, input, deps);
    res.json({ result, decision: await present(req.actor!, id) });
  });

  r.post('/:id/changes/:changeId/drafts', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const result = await reviseDraft(
      req.actor!,
      { decisionId: id, changeId: param(req, 'changeId'), body: req.body, idempotencyKey: idempotencyKey(req) },
      deps,
    );
    res.status(201).json({ result, decision: await present(req.actor!, id) });
  });

  r.post('/:id/drafts', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const result = await reviseDraft(
      req.actor!,
      { decisionId: id, body: req.body, idempotencyKey: idempotencyKey(req) },
      deps,
    );
    res.status(201).json({ result, decision: await present(req.actor!, id) });
  });

  r.get('/:id/drafts/:hash', signedIn, async (req, res) => {
    const doc = await readDraft(req.actor!, { decisionId: param(req, 'id'), hash: param(req, 'hash') }, deps);
    res.json({
      draft: {
        hash: doc.hash,
        text: doc.text,
        explanation: doc.explanation,
        createdBy: doc.createdBy,
        createdAt: doc.createdAt.toISOString(),
      },
    });
  });

  r.get('/:id/opinions', signedIn, async (req, res) => {
    const { opinions } = await staffOpinions(req.actor!, param(req, 'id'), deps);
    res.json({ opinions });
  });

  r.put('/:id/opinions/:receipt/disposition', signedIn, async (req, res) => {
    const opinion = await disposeOpinion(
      req.actor!,
      { decisionId: param(req, 'id'), receipt: param(req, 'receipt'), body: req.body },
      deps,
    );
    res.json({ opinion });
  });

  r.get('/:id/audit', signedIn, async (req, res) => {
    const id = param(req, 'id');
    const entries = await readAudit(req.actor!, id, deps);
    res.json({ decisionId: id, entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  r.get('/:id/audit/verify', signedIn, async (req, res) => {
    res.json(await verifyAudit(req.actor!, param(req, 'id'), deps));
  });

  return r;
}
