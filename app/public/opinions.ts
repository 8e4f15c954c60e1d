import type { DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import { opinionReport, receiptLookup, type OpinionReport, type WindowOf } from '../../lib/public-opinions';
import { surveyResults, type SurveyResults } from '../../lib/survey';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { limitLookup, type PublicClient } from './client';
import { readDisclosedDecision } from './decisions';

// What the public reads of the input it gave (docs/authority.md, "Reads"): the opinions on a
// decision under the one visibility rule (domain/public.ts: texts once their window has closed,
// never a hidden one; counts always), a receipt by its number, survey results once frozen.

/** The windows of a decision as its state knows them, for the visibility rule. */
export const windowsOf =
  (state: Pick<DecisionState, 'windows'>): WindowOf =>
  (windowId) => {
    const w = state.windows.find((x) => x.id === windowId);
    return w ? { closesAt: w.closesAt, frozen: !!w.frozen } : null;
  };

export async function readPublicOpinions(
  client: PublicClient,
  input: { decisionId: string; now?: number },
  deps: AppDeps,
): Promise<OpinionReport> {
  const d = await readDisclosedDecision(client, input, deps);
  return opinionReport(deps.prisma, d.state.id, windowsOf(d.state), input.now);
}

export type Receipt = NonNullable<Awaited<ReturnType<typeof receiptLookup>>>;

/** An opinion by its receipt number (anyone holding it: receipt.read), within the look-up limit. */
export async function readReceipt(client: PublicClient, input: { receipt: string }, deps: AppDeps): Promise<Receipt> {
  await limitLookup(deps, client);
  const found = await receiptLookup(deps.prisma, input.receipt);
  if (!found) throw notFound('receipt');
  return found;
}

const SURVEY_BASIS = 'Decree 713 Art 15 (survey results are published once the survey window has closed)';

/** The aggregated answers of a decision's latest survey, once its window is frozen. */
export async function readSurveyResults(
  client: PublicClient,
  input: { decisionId: string },
  deps: AppDeps,
): Promise<SurveyResults> {
  const d = await readDisclosedDecision(client, input, deps);
  const survey = [...d.state.windows].reverse().find((w) => w.kind === 'survey');
  if (!survey) throw notFound('survey');
  if (!survey.frozen)
    throw new Refusal(
      'WINDOW_STILL_OPEN',
      'survey results are published once the survey window has closed',
      undefined,
      SURVEY_BASIS,
    );
  const results = await surveyResults(deps.prisma, survey.id);
  if (!results) throw notFound('survey');
  return results;
}
