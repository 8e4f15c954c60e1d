import { randomUUID } from 'node:crypto';
import { exampleBodies } from '../domain/examples';
import { send, sleep, type Env } from './harness';

// One decision walked from creation to in force over HTTP, the way a careful client does it:
// every POST with an Idempotency-Key, retried with the same key after a network error or a 5xx,
// and retried with the same key after a timing refusal (a minimum period not yet elapsed).

const WAIT_CODES = new Set(['LEGALITY_REVIEW_TOO_SHORT', 'OBJECTION_WINDOW_OPEN']);

export interface Step {
  userId: string;
  action: string;
  key: string;
  status?: number;
  eventId?: string;
}

const STEPS: Array<[string, string]> = [
  ['official-zhang', 'submit-for-legality-review'],
  ['reviewer-wang', 'file-legality-review'],
  ['official-zhang', 'submit-for-discussion'],
  ['secretary-he', 'record-minutes'],
  ['head-gao', 'decide'],
  ['official-zhang', 'announce'],
  ['head-gao', 'report-to-party-committee'],
  ['official-zhang', 'publish'],
];

export async function walkDecision(
  env: Env,
  api: () => string,
  id: string,
): Promise<{ created: boolean; steps: Step[]; inForce: boolean }> {
  const create = await send(`${api()}/api/decisions`, {
    token: await env.token('official-zhang'),
    key: `create-${id}`,
    body: {
      id,
      title: 'Fault-injection decision',
      summary: 's',
      templateId: 'test-fast',
      flags: { nonDisclosable: true },
      nonDisclosableReason: 'Internal',
      draft: { text: 'Article 1.', explanation: 'Why.' },
    },
  });
  const steps: Step[] = [];
  if (create.status !== 201) return { created: false, steps, inForce: false };
  const examples = exampleBodies({ draftVersion: 1 });
  for (const [userId, action] of STEPS) {
    const step: Step = { userId, action, key: randomUUID() };
    steps.push(step);
    for (let attempt = 0; attempt < 200; attempt++) {
      const r = await send(`${api()}/api/decisions/${id}/actions/${action}`, {
        token: await env.token(userId),
        key: step.key,
        body: (examples as Record<string, unknown>)[action],
      });
      step.status = r.status;
      step.eventId = r.body?.result?.eventId;
      if (r.status === 409 && WAIT_CODES.has(r.body?.error?.code)) {
        await sleep(200);
        continue;
      }
      break;
    }
    if (step.status !== 200) break;
  }
  return { created: true, steps, inForce: await reachesForce(env, id, 30_000) };
}

/** Whether the decision's read model says "in force" within `ms`. */
export async function reachesForce(env: Env, id: string, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; ; await sleep(100)) {
    const row = await env.prisma.decision.findUnique({ where: { id }, select: { status: true } });
    if (row?.status === 'in-force') return true;
    if (Date.now() > until) return false;
  }
}

/**
 * Lost: an action the client was told was accepted that is missing from the audit chain, or a
 * decision that did not reach force. Duplicated: an action recorded more than once.
 */
export async function tally(env: Env, runs: Array<{ id: string; created: boolean; steps: Step[]; inForce: boolean }>) {
  let attempted = 0;
  let accepted = 0;
  let lost = 0;
  let duplicated = 0;
  /** What each lost or duplicated count was, for the notes: a count alone cannot be looked into. */
  const why: string[] = [];
  for (const r of runs) {
    attempted += 1 + r.steps.length;
    if (!r.created) continue;
    accepted += 1 + r.steps.filter((s) => s.status === 200).length;
    const audit = await env.prisma.auditEntry.findMany({
      where: { decisionId: r.id, outcome: { in: ['accepted', 'system'] } },
      select: { action: true, eventId: true },
    });
    const perAction = new Map<string, number>();
    for (const e of audit) perAction.set(e.action, (perAction.get(e.action) ?? 0) + 1);
    for (const s of r.steps.filter((x) => x.status === 200)) {
      if (!audit.some((e) => e.eventId === s.eventId)) {
        lost++;
        why.push(`${r.id}: ${s.action} answered 200 (event ${s.eventId}) but not in the audit chain`);
      }
      if ((perAction.get(s.action) ?? 0) > 1) {
        duplicated++;
        why.push(`${r.id}: ${s.action} recorded ${perAction.get(s.action)} times`);
      }
    }
    const started = perAction.get('decision-started') ?? 0;
    if (started !== 1) why.push(`${r.id}: decision-started recorded ${started} times`);
    if (started === 0) lost++;
    if (started > 1) duplicated++;
    // Faults may still be injected while a decision waits for its entry into force; once they
    // have stopped, it gets another minute before it counts as lost.
    const t0 = Date.now();
    if (!r.inForce && (await reachesForce(env, r.id, 60_000)))
      why.push(`${r.id}: in force ${Math.round((Date.now() - t0) / 1000)} s after the faults stopped`);
    else if (!r.inForce) {
      lost++;
      const row = await env.prisma.decision.findUnique({
        where: { id: r.id },
        select: { status: true, currentStage: true },
      });
      const stopped = r.steps.find((s) => s.status !== 200);
      why.push(
        `${r.id}: not in force (read model: ${row?.status ?? 'no row'} at ${row?.currentStage ?? '-'}${stopped ? `; ${stopped.action} answered ${stopped.status}` : ''})`,
      );
    }
  }
  return { attempted, accepted, lost, duplicated, why };
}
