import { Router } from 'express';
import { performCommitmentAction, registerCommitment, type CommitmentDeps } from '../../app/commitments/commands';
import {
  listCommitments,
  readCommitment,
  readCommitmentAudit,
  readComplaints,
  verifyCommitmentAudit,
} from '../../app/commitments/queries';
import { commitmentActionSchemas, listCommitmentsQuery, registrationSchema } from '../../app/commitments/schemas';
import { COMMITMENT_ACTIONS, isCommitmentAction } from '../../domain/commitment';
import { requireStaff, type Auth } from '../auth';
import { ApiError } from '../errors';
import { idempotencyKey, param, parse } from '../http';

// The commitments and contracts registry over HTTP (issue 3, part 5): parse, call one function
// of app/commitments, answer. Who may read and act is decided there (docs/authority.md).

export function commitmentsRouter(deps: CommitmentDeps & { auth: Auth }): Router {
  const r = Router();
  const signedIn = requireStaff(deps.auth);

  r.post('/commitments', signedIn, async (req, res) => {
    const body = parse(registrationSchema, req.body);
    const result = await registerCommitment(req.actor!, { body, key: idempotencyKey(req) }, deps);
    const { commitment } = await readCommitment(req.actor!, { id: result.id }, deps);
    res.status(201).location(`/api/commitments/${result.id}`).json({ result, commitment });
  });

  r.get('/commitments', signedIn, async (req, res) => {
    res.json(await listCommitments(req.actor!, parse(listCommitmentsQuery, req.query), deps));
  });

  r.get('/commitments/:id', signedIn, async (req, res) => {
    res.json(await readCommitment(req.actor!, { id: param(req, 'id') }, deps));
  });

  r.get('/commitments/:id/complaints', signedIn, async (req, res) => {
    res.json(await readComplaints(req.actor!, { id: param(req, 'id') }, deps));
  });

  r.post('/commitments/:id/actions/:action', signedIn, async (req, res) => {
    const action = param(req, 'action');
    if (!isCommitmentAction(action))
      throw new ApiError(404, 'ACTION_UNKNOWN', `there is no commitment action "${action}"`, {
        actions: COMMITMENT_ACTIONS,
      });
    const payload = parse(commitmentActionSchemas[action], req.body ?? {}) as Record<string, unknown>;
    const id = param(req, 'id');
    const result = await performCommitmentAction(req.actor!, { id, action, payload, key: idempotencyKey(req) }, deps);
    // Whoever may act on a commitment may read it (its organ's offices, its counterparty).
    res.json({ result, ...(await readCommitment(req.actor!, { id }, deps)) });
  });

  r.get('/commitments/:id/audit', signedIn, async (req, res) => {
    res.json(await readCommitmentAudit(req.actor!, { id: param(req, 'id') }, deps));
  });

  r.get('/commitments/:id/audit/verify', signedIn, async (req, res) => {
    res.json(await verifyCommitmentAudit(req.actor!, { id: param(req, 'id') }, deps));
  });

  return r;
}
