import request from 'supertest';
import type { Flags } from '../../domain/stages';
import { ApiDriver, sleep } from './api-driver';
import { SHORT_WINDOW, waitFor } from './wait';

// Whole procedures walked through the HTTP API with the test-fast template. Shared by the
// end-to-end test, the durability test and the recorder of replay histories.

type Step = (api: ApiDriver, id: string) => Promise<void>;

async function ok(res: request.Response, what: string): Promise<request.Response> {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

const signed = (name: string) => ({
  signature: { signedBy: name, signedAt: new Date().toISOString(), method: 'seal' },
});
const version = async (api: ApiDriver, id: string): Promise<number> => (await api.get(id)).body.decision.draft.version;

export async function participate(api: ApiDriver, id: string, flags: Partial<Flags>): Promise<string[]> {
  await ok(
    await api.act(id, 'official-zhang', 'predisclose', api.body('predisclose', 1, { commentWindow: SHORT_WINDOW })),
    'predisclose',
  );
  if (flags.livelihood)
    await ok(
      await api.act(id, 'official-zhang', 'open-survey', api.body('open-survey', 1, { surveyWindow: SHORT_WINDOW })),
      'open-survey',
    );
  const receipts: string[] = [];
  for (const text of ['Keep the student concession.', 'Fares should not rise for pensioners.']) {
    const r = await ok(
      await request(api.stack.app).post(`/api/decisions/${id}/opinions`).send({ text, paragraph: 1 }),
      'opinion',
    );
    receipts.push(r.body.receipt);
  }
  if (flags.livelihood)
    await ok(
      await request(api.stack.app)
        .post(`/api/decisions/${id}/survey-answers`)
        .send({ answers: { support: 'yes' } }),
      'survey',
    );
  await api.waitFor(id, (d) => d.windows.length > 0 && d.windows.every((w: any) => w.frozen));
  for (const receipt of receipts) {
    await ok(
      await request(api.stack.app)
        .put(`/api/decisions/${id}/opinions/${receipt}/disposition`)
        .set(await api.as('official-zhang'))
        .send({ disposition: 'not-adopted', reason: 'Outside the scope of this decision.' }),
      'disposition',
    );
  }
  await ok(
    await api.act(id, 'official-zhang', 'publish-feedback', api.body('publish-feedback', 1)),
    'publish-feedback',
  );
  return receipts;
}

export const fileExpertOpinions: Step = async (api, id) => {
  const v = await version(api, id);
  for (const [u, name] of [
    ['expert-li', 'Li Wei'],
    ['expert-zhao', 'Zhao Min'],
    ['expert-sun', 'Sun Hao'],
  ]) {
    await ok(
      await api.act(id, u, 'file-expert-opinion', api.body('file-expert-opinion', v, signed(name))),
      `opinion ${u}`,
    );
  }
};

export const experts: Step = async (api, id) => {
  await ok(await api.act(id, 'official-zhang', 'assign', api.body('assign', await version(api, id))), 'assign experts');
  await fileExpertOpinions(api, id);
};

export const risk: Step = async (api, id) => {
  const v = await version(api, id);
  await ok(
    await api.act(id, 'official-zhang', 'assign', {
      stage: 'risk-assessment',
      assignees: [{ userId: 'assessor-qian' }],
    }),
    'assign risk',
  );
  await ok(await api.act(id, 'assessor-qian', 'file-risk-report', api.body('file-risk-report', v)), 'risk report');
};

export async function legality(api: ApiDriver, id: string, outcome = 'pass'): Promise<void> {
  const v = await version(api, id);
  await ok(
    await api.act(id, 'official-zhang', 'submit-for-legality-review', api.body('submit-for-legality-review', v)),
    'submit legality',
  );
  await api.waitFor(id, (d) => {
    const round = d.stages.find((s: any) => s.key === 'legality-review').round;
    return d.deadlines.some((x: any) => x.id === `legality-minimum:${round}` && x.firedAt);
  });
  await ok(
    await api.act(id, 'reviewer-wang', 'file-legality-review', api.body('file-legality-review', v, { outcome })),
    'legality review',
  );
}

export const fairness: Step = async (api, id) => {
  const v = await version(api, id);
  await ok(
    await api.act(id, 'official-zhang', 'assign', {
      stage: 'fairness-review',
      assignees: [{ userId: 'fairness-zhou' }],
    }),
    'assign fairness',
  );
  await ok(
    await api.act(id, 'fairness-zhou', 'file-fairness-review', api.body('file-fairness-review', v)),
    'fairness review',
  );
};

export const discussion: Step = async (api, id) => {
  const v = await version(api, id);
  await ok(
    await api.act(id, 'official-zhang', 'submit-for-discussion', api.body('submit-for-discussion', v)),
    'submit discussion',
  );
  await ok(await api.act(id, 'secretary-he', 'record-minutes', api.body('record-minutes', v)), 'minutes');
  await ok(await api.act(id, 'head-gao', 'decide', api.body('decide', v)), 'decide');
};

export async function publicity(api: ApiDriver, id: string, hearing: boolean): Promise<void> {
  await ok(await api.act(id, 'official-zhang', 'announce', api.body('announce', 1)), 'announce');
  if (hearing) {
    const heldAt = new Date(Date.now() + 5_000).toISOString(); // in the future even after a slow request
    await ok(
      await api.act(
        id,
        'official-zhang',
        'schedule-hearing',
        api.body('schedule-hearing', 1, { heldAt, materialsSentAt: new Date().toISOString() }),
      ),
      'schedule hearing',
    );
    await sleep(Date.parse(heldAt) - Date.now() + 200); // until the hearing's time has passed on the clock
    const signedAt = new Date().toISOString();
    await ok(
      await api.act(
        id,
        'official-zhang',
        'record-hearing',
        api.body('record-hearing', 1, {
          signatures: [
            { participant: 'Ma Li', signedAt },
            { participant: 'Hu Gang', signedAt },
          ],
        }),
      ),
      'record hearing',
    );
  }
  await ok(
    await api.act(id, 'head-gao', 'report-to-party-committee', api.body('report-to-party-committee', 1)),
    'party report',
  );
  await api.waitFor(id, (d) => d.deadlines.some((x: any) => x.kind === 'objection-window' && x.firedAt));
  await ok(await api.act(id, 'official-zhang', 'publish', api.body('publish', 1)), 'publish');
  await api.waitFor(id, (d) => d.status === 'in-force');
}

export const ALL_FLAGS: Partial<Flags> = {
  specialised: true,
  riskRelevant: true,
  marketRelated: true,
  livelihood: true,
  hearingRequired: true,
};

/** Every stage, every flag: from creation to in force. */
export async function fullProcedure(api: ApiDriver, id: string, flags: Partial<Flags> = ALL_FLAGS): Promise<void> {
  await ok(await api.create({ id, flags }), 'create');
  if (!flags.nonDisclosable) await participate(api, id, flags);
  if (flags.specialised) await experts(api, id);
  if (flags.riskRelevant) await risk(api, id);
  await legality(api, id);
  if (flags.marketRelated) await fairness(api, id);
  await discussion(api, id);
  await publicity(api, id, !!flags.hearingRequired);
}

/** Legality review returns the draft; a revision re-opens the review; then adoption and force. */
export async function returnedAndRevised(api: ApiDriver, id: string): Promise<void> {
  await ok(
    await api.create({ id, flags: { nonDisclosable: true }, nonDisclosableReason: 'Internal security arrangements' }),
    'create',
  );
  await legality(api, id, 'return');
  const revised = await request(api.stack.app)
    .post(`/api/decisions/${id}/drafts`)
    .set(await api.as('official-zhang'))
    .send({
      text: 'Article 1. Fares are set by distance, capped at 4 yuan.',
      explanation: 'Why.',
      changeNote: 'Cap added at the request of the justice bureau.',
    });
  await ok(revised, 'revise');
  await legality(api, id);
  await discussion(api, id);
  await publicity(api, id, false);
}

export async function withdrawn(api: ApiDriver, id: string): Promise<void> {
  await ok(await api.create({ id }), 'create');
  await ok(await api.act(id, 'official-zhang', 'predisclose', api.body('predisclose', 1)), 'predisclose');
  await ok(await api.act(id, 'head-gao', 'withdraw', api.body('withdraw', 1)), 'withdraw');
}

/** A decision brought into force, then amended through a minor-amendment change request. */
export async function amendedAfterAdoption(api: ApiDriver, id: string): Promise<void> {
  await ok(
    await api.create({ id, flags: { nonDisclosable: true }, nonDisclosableReason: 'Internal arrangements' }),
    'create',
  );
  await legality(api, id);
  await discussion(api, id);
  await publicity(api, id, false);
  const opened = await request(api.stack.app)
    .post(`/api/decisions/${id}/changes`)
    .set(await api.as('official-zhang'))
    .send({
      type: 'minor-amendment',
      grounds: { categories: ['change-in-law'], explanation: 'The provincial regulation changed.' },
      document: {
        text: 'Article 1. Fares are set by distance, capped at 4 yuan.',
        explanation: 'Cap required by the province.',
      },
    });
  await ok(opened, 'request change');
  const changeId = opened.body.changeId as string;
  const act = async (userId: string, action: string) =>
    ok(
      await request(api.stack.app)
        .post(`/api/decisions/${id}/changes/${changeId}/actions/${action}`)
        .set(await api.as(userId))
        .send(api.body(action as never, 1)),
      `${changeId} ${action}`,
    );
  await act('official-zhang', 'submit-for-legality-review');
  await api.waitFor(id, (d) =>
    d.changes[0].procedure.deadlines.some((x: any) => x.kind === 'legality-minimum' && x.firedAt),
  );
  for (const [u, a] of [
    ['reviewer-wang', 'file-legality-review'],
    ['official-zhang', 'submit-for-discussion'],
    ['secretary-he', 'record-minutes'],
    ['head-gao', 'decide'],
    ['official-zhang', 'announce'],
    ['head-gao', 'report-to-party-committee'],
  ])
    await act(u, a);
  await api.waitFor(id, (d) =>
    d.changes[0].procedure.deadlines.some((x: any) => x.kind === 'objection-window' && x.firedAt),
  );
  await act('official-zhang', 'publish');
  await api.waitFor(id, (d) => d.changes[0].status === 'effective');
}

/** A demo SME contract: registered, delivered, paid late (an integrity record), then paid in full. */
export async function commitmentPaidLate(api: ApiDriver, id: string): Promise<void> {
  const official = await api.as('official-zhang');
  await ok(
    await request(api.stack.app)
      .post('/api/commitments')
      .set(official)
      .send({
        id,
        kind: 'contract',
        title: 'Purchase of electric buses',
        counterparty: { id: 'harbin-bus', name: 'Harbin Bus Company', isSme: true },
        responsibleOfficeId: 'harbin-gov/drafting-office',
        demo: true,
        periods: { reminderBefore: { seconds: 1 }, complaintResponse: { seconds: 30 } },
        obligations: [{ id: 'pay', kind: 'payment', description: 'Price', amountFen: 100_000, paymentTermSeconds: 2 }],
      }),
    'register commitment',
  );
  await ok(
    await request(api.stack.app)
      .post(`/api/commitments/${id}/actions/record-delivery`)
      .set(official)
      .send({ obligationId: 'pay' }),
    'delivery',
  );
  await waitFor(() => api.stack.prisma.integrityRecord.count({ where: { commitmentId: id } }), {
    what: `the late-payment integrity record of ${id}`,
  });
  await ok(
    await request(api.stack.app)
      .post(`/api/commitments/${id}/actions/record-payment`)
      .set(official)
      .send({ obligationId: 'pay', amountFen: 100_000, reference: 'Treasury 2026-118' }),
    'payment',
  );
}
