import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { appendAudit } from '../../lib/audit-chain';
import { recordDisposition } from '../../lib/dispositions';
import { auditedAttempt, loadDecision, type DecisionDeps } from './service';

// How each public opinion was handled (adopted, partly adopted, not adopted, with reasons):
// recorded by the drafting official of the deciding organ after the window has closed and before
// the feedback report is published (Decree 713 Arts 18, 29(2)); in the audit chain too.

export async function disposeOpinion(deps: DecisionDeps, actor: Actor, id: string, receipt: string, body: { disposition: string; reason?: string }) {
  const { state } = await loadDecision(deps, id);
  return auditedAttempt(deps, state, actor, 'dispose-opinion', undefined, async () => {
    if (!actor.roles.includes('drafting-official')) {
      throw new Refusal('ROLE_REQUIRED', 'opinions are disposed of by the drafting official', { requiredRoles: ['drafting-official'], actorRoles: actor.roles });
    }
    if (actor.organId !== state.organId) {
      throw new Refusal('WRONG_ORGAN', `opinions on this decision are disposed of by ${state.organId}`, { decisionOrgan: state.organId, actorOrgan: actor.organId }, 'Decree 713 Art 18');
    }
    const opinion = await deps.prisma.opinion.findFirst({ where: { id: receipt, decisionId: id } });
    if (!opinion) throw new Refusal('OPINION_NOT_FOUND', `no opinion ${receipt} on this decision`);
    // The window may belong to the decision's own procedure or to a change procedure's.
    const procedure = [state, ...(state.changes ?? []).map((c) => c.procedure)].find((p) => p.windows.some((x) => x.id === opinion.windowId)) ?? state;
    const w = procedure.windows.find((x) => x.id === opinion.windowId);
    const stage = procedure.stages.find((s) => s.key === 'public-participation');
    if (!w?.frozen) throw new Refusal('WINDOW_STILL_OPEN', 'opinions are disposed of after the window has closed');
    if (stage?.status === 'passed' || w.round !== stage?.round) {
      throw new Refusal('STAGE_ALREADY_PASSED', 'the feedback report is published; dispositions are final', undefined, 'Decree 713 Art 29(2)');
    }
    return deps.prisma.$transaction(async (tx) => {
      const d = await recordDisposition(tx, { opinion, disposition: body.disposition, reason: body.reason ?? null, by: actor.id });
      const updated = await tx.opinion.findUniqueOrThrow({ where: { id: opinion.id }, omit: { contact: true, clientKey: true } });
      await appendAudit(tx, {
        decisionId: id,
        eventId: `disposition:${opinion.id}:${randomUUID()}`,
        outcome: 'accepted',
        action: 'dispose-opinion',
        actorId: actor.id,
        actorName: actor.name,
        actorRole: 'drafting-official',
        at: new Date(),
        draftVersion: state.draft.version,
        draftHash: state.draft.hash,
        code: null,
        legalBasis: 'Decree 713 Arts 18, 29(2)',
        body: { opinion: opinion.id, disposition: body.disposition, reason: body.reason ?? null, dispositionRecord: { id: d.id, hash: d.hash } },
      });
      return updated;
    });
  });
}
