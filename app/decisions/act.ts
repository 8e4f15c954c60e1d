import { ASSIGNEE_ROLE, type ActionName } from '../../domain/actions';
import { checkCommand, targetOf, TERMINAL_STATUSES, type Actor, type DecisionState } from '../../domain/procedure';
import { actionStage } from '../../domain/procedure/gates';
import { Refusal } from '../../domain/refusals';
import type { Role, StageKey } from '../../domain/stages';
import { holderAt, resolveActor } from '../../lib/directory';
import { dispositionSummary } from '../../lib/public-input';
import { performActionUpdate, workflowIdFor, type ActionResult } from '../../workflows/definitions';
import type { AppDeps } from '../deps';
import { fieldError } from '../errors';
import { claimKey, scopeOf } from '../idempotency';
import { parse } from '../input';
import { decisionScope } from '../scope';
import { auditedAttempt } from './audit';
import { draftHash, loadState } from './load';
import {
  apiActionBodySchemas,
  changeRequestBody,
  draftRevisionBody,
  isApiAction,
  API_ACTIONS,
  type ApiActionName,
} from './schemas';
import { storeDraft } from '../../lib/drafts';

// The commands on an existing decision: a stage action (in its own procedure or in a change
// procedure), a draft revision, a change request. In this order (docs/authority.md): parse the
// input; claim the Idempotency-Key for the actor and the operation; authorize the operation with
// the decision's scope; send the action to the decision's workflow as an update whose id is the
// claimed scope. Every refusal after the claim (of the authority, of a gate, of the workflow's
// validator) is appended to the audit chain under the claimed scope.

export interface ActInput {
  decisionId: string;
  action: string;
  /** The change procedure addressed; the decision's own procedure when absent. */
  changeId?: string;
  body: unknown;
  idempotencyKey?: string;
}

type OfficeChoice = { userId?: string; officeId?: string };

/** The office an assignment goes to, with its holder now: named directly, or as the office in which a person holds the stage's role. */
async function resolveOffice(deps: Pick<AppDeps, 'prisma'>, choice: OfficeChoice, stage: StageKey, path: string) {
  const wanted = ASSIGNEE_ROLE[stage];
  if (choice.officeId) {
    const office = await deps.prisma.office.findUnique({ where: { id: choice.officeId } });
    if (!office) throw fieldError(`${path}.officeId`, `no office "${choice.officeId}"`);
    const holder = await holderAt(deps.prisma, office.id, new Date());
    return {
      officeId: office.id,
      userId: holder?.userId ?? 'vacant',
      name: holder?.name ?? office.title,
      role: office.role as Role,
    };
  }
  const actor = choice.userId ? await resolveActor(deps.prisma, choice.userId) : null;
  if (!actor) throw fieldError(`${path}.userId`, `no active staff user "${choice.userId}"`);
  const office = actor.offices.find((o) => o.role === wanted) ?? actor.offices[0];
  if (!office) throw fieldError(`${path}.userId`, `"${choice.userId}" holds no office`);
  return { officeId: office.id, userId: actor.id, name: actor.name, role: office.role };
}

/**
 * Fills what the caller cannot be trusted to supply. Done before the key is claimed: an office
 * that does not exist is the caller's input error (400), which claims nothing.
 */
async function completePayload(
  deps: Pick<AppDeps, 'prisma'>,
  procedure: DecisionState,
  action: ActionName,
  body: Record<string, unknown>,
): Promise<() => Promise<Record<string, unknown>>> {
  if (action === 'assign') {
    const stage = body.stage as StageKey;
    const people = body.assignees as Array<OfficeChoice & { dissentingView?: boolean }>;
    const assignees = await Promise.all(
      people.map(async (p, i) => ({
        ...(await resolveOffice(deps, p, stage, `assignees.${i}`)),
        ...(p.dissentingView !== undefined ? { dissentingView: p.dissentingView } : {}),
      })),
    );
    return async () => ({ ...body, assignees });
  }
  if (action === 'withdraw-assignment') {
    const { userId, officeId, ...rest } = body as OfficeChoice & Record<string, unknown>;
    const office = await resolveOffice(deps, { userId, officeId }, body.stage as StageKey, '');
    return async () => ({ ...rest, officeId: office.officeId });
  }
  if (action === 'submit-for-legality-review') {
    const reviewer = await resolveOffice(deps, body.reviewer as OfficeChoice, 'legality-review', 'reviewer');
    return async () => ({ ...body, reviewer });
  }
  if (action === 'publish-feedback') {
    // The summary of the dispositions is read when the action is sent, after authorization.
    return async () => {
      const round = procedure.stages.find((s) => s.key === 'public-participation')?.round ?? 1;
      const w = procedure.windows.find((x) => x.kind === 'comment' && x.round === round);
      return {
        ...body,
        dispositions: w ? await dispositionSummary(deps.prisma, w.id) : { digest: '', total: 0, disposed: 0 },
      };
    };
  }
  return async () => body;
}

async function sendAction(
  deps: Pick<AppDeps, 'temporal'>,
  state: DecisionState,
  actor: Actor,
  action: ActionName,
  payload: Record<string, unknown>,
  updateId: string,
  changeId?: string,
): Promise<ActionResult> {
  if (TERMINAL_STATUSES.includes(state.status)) {
    throw new Refusal('DECISION_CLOSED', `the decision is ${state.status}; its record is closed`, {
      status: state.status,
    });
  }
  return deps.temporal.workflow.getHandle(workflowIdFor(state.id)).executeUpdate(performActionUpdate, {
    args: [{ action, actor, payload, ...(changeId ? { changeId } : {}) }],
    updateId,
  });
}

/** The procedure addressed: the decision's own, or the procedure of one of its change requests. */
const procedureOf = (state: DecisionState, changeId?: string) => (changeId ? targetOf(state, { changeId }) : state);

const owner = (actor: Actor) => ({ kind: 'staff' as const, id: actor.id });

/** The procedure addressed, or null when the change request does not exist (answered after authority). */
function addressed(state: DecisionState, changeId?: string): DecisionState | null {
  try {
    return procedureOf(state, changeId);
  } catch {
    return null;
  }
}

/** The audit id of an attempt before its key is claimed: the scope the claim will have. */
const attemptIdOf = (actor: Actor, op: string, key?: string) =>
  key === undefined ? undefined : scopeOf(owner(actor), op, key);

/**
 * A stage action: `decision.act:<action>`, authorized with the offices assigned to the action's
 * stage in the procedure addressed. Authority comes first (docs/authority.md: before the
 * procedure's gates, and before the body is examined, so a refused actor learns nothing of it);
 * then the body (400), the key's claim (422 on another body), the workflow's gates (409).
 */
export async function act(actor: Actor, input: ActInput, deps: AppDeps): Promise<ActionResult> {
  if (!isApiAction(input.action)) {
    throw new Refusal(
      'ACTION_UNKNOWN',
      `there is no action "${input.action}"${input.action === 'revise-draft' ? '; upload a revision to /drafts' : ''}`,
      { actions: API_ACTIONS },
    );
  }
  const action: ApiActionName = input.action;
  const op = `decision.act:${action}${input.changeId ? `:${input.changeId}` : ''}`;
  const { state } = await loadState(deps, input.decisionId);
  const target = addressed(state, input.changeId);
  let stage: StageKey | null = null;
  try {
    stage = actionStage(action, input.body ?? {});
  } catch {
    stage = null;
  }
  const scope = await decisionScope(deps, state, target ? { stage, procedure: target } : undefined);
  const attemptId = attemptIdOf(actor, op, input.idempotencyKey);
  return auditedAttempt(deps, { state, scope, actor, action, attemptId }, `decision.act:${action}`, async () => {
    const body = parse(apiActionBodySchemas[action], input.body ?? {}) as Record<string, unknown>;
    const procedure = procedureOf(state, input.changeId);
    const payloadFor = await completePayload(deps, procedure, action, body);
    const claim = await claimKey(deps, owner(actor), op, input.idempotencyKey, { decisionId: state.id, body });
    return sendAction(deps, state, actor, action, await payloadFor(), claim.scope, input.changeId);
  });
}

/**
 * Stores a document under its hash, then sends the action that refers to it. The gates are checked
 * against the read model first, with the same engine the workflow runs, so a refused upload
 * stores nothing.
 */
async function withDocument(
  actor: Actor,
  deps: AppDeps,
  at: {
    decisionId: string;
    op: 'decision.revise' | 'decision.request-change';
    action: 'revise-draft' | 'request-change';
    changeId?: string;
    idempotencyKey?: string;
    body: unknown;
  },
  doc: { text: string; explanation: string },
  payloadFor: (hash: string) => Record<string, unknown>,
): Promise<ActionResult> {
  const { state } = await loadState(deps, at.decisionId);
  const op = `${at.op}${at.changeId ? `:${at.changeId}` : ''}`;
  const scope = await decisionScope(deps, state);
  const hash = draftHash(doc.text, doc.explanation);
  const payload = payloadFor(hash);
  // Authority first (auditedAttempt), then the change addressed (404) and the key's claim (422).
  const attemptId = attemptIdOf(actor, op, at.idempotencyKey);
  return auditedAttempt(deps, { state, scope, actor, action: at.action, attemptId }, at.op, async () => {
    const procedure = procedureOf(state, at.changeId);
    const claim = await claimKey(deps, owner(actor), op, at.idempotencyKey, { decisionId: state.id, body: at.body });
    const known = procedure.drafts.some((d) => d.hash === hash);
    if (!known)
      checkCommand(
        state,
        { action: at.action, actor, payload, ...(at.changeId ? { changeId: at.changeId } : {}) },
        Date.now(),
      );
    await storeDraft(deps.prisma, {
      decisionId: state.id,
      hash,
      text: doc.text,
      explanation: doc.explanation,
      createdBy: actor.id,
    });
    return sendAction(deps, state, actor, at.action, payload, claim.scope, at.changeId);
  });
}

export interface ReviseInput {
  decisionId: string;
  changeId?: string;
  body: unknown;
  idempotencyKey?: string;
}

/** A new version of the draft (or of a change procedure's document): `decision.revise`. */
export async function reviseDraft(actor: Actor, input: ReviseInput, deps: AppDeps): Promise<ActionResult> {
  const body = parse(draftRevisionBody, input.body);
  return withDocument(actor, deps, { ...input, op: 'decision.revise', action: 'revise-draft', body }, body, (hash) => ({
    hash,
    changeNote: body.changeNote,
  }));
}

/** Opens a typed change request (Decree 713 Art 37): `decision.request-change`; its document is the amended text or the order. */
export async function requestChange(
  actor: Actor,
  input: { decisionId: string; body: unknown; idempotencyKey?: string },
  deps: AppDeps,
): Promise<ActionResult> {
  const body = parse(changeRequestBody, input.body);
  return withDocument(
    actor,
    deps,
    { ...input, op: 'decision.request-change', action: 'request-change', body },
    body.document,
    (hash) => ({
      type: body.type,
      grounds: body.grounds,
      evidence: body.evidence ?? [],
      documentHash: hash,
    }),
  );
}
