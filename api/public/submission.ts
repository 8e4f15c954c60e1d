import { splitParagraphs } from '../../domain/draft';
import type { DecisionState } from '../../domain/procedure';
import { perClient, type PrismaClient } from '../../lib/db';
import { register, registrationState, type RegistrationInput } from '../../lib/hearing';
import type { Notifier } from '../../lib/notifier';
import { hearingNoticeOf, latest, type StoredRecord } from '../../lib/public-decision';
import { acceptOpinion, acceptSurveyAnswer, type Acceptance } from '../../lib/public-input';
import { consume, type PublicLimits } from '../../lib/rate-limit';
import { answerIssues, type Answers, type Question } from '../../lib/survey';
import { checkCode, sendCode, VerificationError, type Channel } from '../../lib/verification';
import { ApiError, fieldError } from '../errors';
import { Refusal } from '../../domain/refusals';

// Public submissions, shared by the JSON API and the portal's forms so both behave the same: the
// per-client rate limits (shared by every process through PostgreSQL), the verification a
// template requires, then the insert that succeeds only while the window is open (nothing is
// stored otherwise, Decree 713 Art 15).

export interface PublicServices {
  prisma: PrismaClient;
  notifier: Notifier;
  secret: Uint8Array;
  limits: PublicLimits;
}

async function decisionState(prisma: PrismaClient, id: string) {
  const row = await prisma.decision.findUnique({ where: { id } });
  if (!row) throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found`);
  return { row, state: row.state as unknown as DecisionState };
}

export const WINDOW_BASIS = 'Decree 713 Art 15 (opinions are accepted only within the published period)';

export function refuseClosed(a: Exclude<Acceptance, { accepted: true }>, what: string): never {
  throw new ApiError(409, 'WINDOW_CLOSED', a.reason === 'no-window' ? `this decision is not open for ${what}` : `the ${what} window has closed; nothing was stored`, { reason: a.reason }, WINDOW_BASIS);
}

export async function limitSubmission(s: PublicServices, client: string, decisionId: string): Promise<void> {
  const d = await consume(s.prisma, [
    { rule: s.limits.submit, subject: `${client}:${decisionId}` },
    { rule: s.limits.submitTotal, subject: client },
  ]);
  if (!d.allowed) throw new ApiError(429, 'RATE_LIMITED', `too many submissions from this client; try again in ${d.retryAfterSeconds} s`, { retryAfterSeconds: d.retryAfterSeconds });
}

/** The channel a template asks commenters to verify ("none" in the template: null). */
const verificationOf = (setting: string | null | undefined): Channel | null => (!setting || setting === 'none' ? null : (setting as Channel));

export const verificationRequired = (state: DecisionState): Channel | null => verificationOf(state.template.publicVerification);

function verificationError(e: unknown): never {
  if (!(e instanceof VerificationError)) throw e;
  if (e.reason === 'invalid-destination') throw fieldError('destination', 'not a valid address for this channel');
  if (e.reason === 'too-many-codes') throw new ApiError(429, 'RATE_LIMITED', 'too many codes sent to this address; try again later', { reason: e.reason });
  throw new ApiError(403, 'VERIFICATION_FAILED', `verification failed: ${e.reason}`, { reason: e.reason, ...(e.attemptsLeft !== undefined ? { attemptsLeft: e.attemptsLeft } : {}) });
}

export async function requestCode(s: PublicServices, client: string, decisionId: string, channel: Channel, destination: string) {
  const { state } = await decisionState(s.prisma, decisionId);
  const required = verificationRequired(state);
  if (!required) throw new ApiError(409, 'VERIFICATION_NOT_REQUIRED', 'this decision does not ask commenters to verify a contact');
  if (channel !== required) throw fieldError('channel', `this decision verifies by ${required}`);
  await limitSubmission(s, client, decisionId);
  return sendCode(s, { decisionId, channel, destination }).catch(verificationError);
}

export interface OpinionSubmission {
  paragraph: number | null;
  text: string;
  name: string | null;
  contact: string | null;
  clientKey: string;
  verification?: { id: string; code: string };
}

/** What the opinion intake needs to know of a decision: fixed by its template and its draft. */
interface IntakeProfile {
  verification: Channel | null;
  draftHash: string;
  paragraphs: number;
  at: number;
}

const PROFILE_TTL_MS = 5_000;
const PROFILE_MAX = 2_000;
const profiles = perClient(() => new Map<string, IntakeProfile>());

/**
 * The intake profile, cached for a few seconds per process so that a burst of opinions costs one
 * statement each (the insert). A cached profile cannot let a wrong opinion in: the insert checks
 * that the draft is still the one the paragraph was counted on, and the window's dates by the
 * database clock; when it refuses, the submission is checked again on a fresh profile.
 */
async function intakeProfile(prisma: PrismaClient, decisionId: string, fresh = false): Promise<IntakeProfile & { cached: boolean }> {
  const cache = profiles(prisma);
  const hit = cache.get(decisionId);
  if (hit && !fresh && Date.now() - hit.at < PROFILE_TTL_MS) return { ...hit, cached: true };
  const [row] = await prisma.$queryRaw<Array<{ draft_hash: string; verification: string | null; text: string | null }>>`
    SELECT d.draft_hash, d.state->'template'->>'publicVerification' AS verification, doc.text
    FROM decision d LEFT JOIN draft_document doc ON doc.decision_id = d.id AND doc.hash = d.draft_hash
    WHERE d.id = ${decisionId}`;
  if (!row) throw new Refusal('DECISION_NOT_FOUND', `decision ${decisionId} not found`);
  const profile = { verification: verificationOf(row.verification), draftHash: row.draft_hash, paragraphs: row.text ? splitParagraphs(row.text).length : 0, at: Date.now() };
  if (cache.size >= PROFILE_MAX) cache.clear();
  cache.set(decisionId, profile);
  return { ...profile, cached: false };
}

export async function submitOpinion(s: PublicServices, client: string, decisionId: string, o: OpinionSubmission) {
  let profile = await intakeProfile(s.prisma, decisionId);
  const checkParagraph = () => {
    if (o.paragraph !== null && o.paragraph > profile.paragraphs) throw fieldError('paragraph', `the draft has ${profile.paragraphs} paragraphs`);
  };
  checkParagraph();
  await limitSubmission(s, client, decisionId);
  let verifiedVia: string | null = null;
  const required = profile.verification;
  if (required) {
    if (!o.verification) throw new ApiError(403, 'VERIFICATION_REQUIRED', `this decision asks commenters to verify their ${required} first (POST /api/decisions/${decisionId}/verifications)`, { channel: required });
    verifiedVia = (await checkCode(s, { decisionId, ...o.verification }).catch(verificationError)).channel;
  }
  const accept = () => acceptOpinion(s.prisma, { decisionId, draftHash: profile.draftHash, paragraph: o.paragraph, text: o.text, authorName: o.name, contact: o.contact, clientKey: o.clientKey, verifiedVia });
  let a = await accept();
  if (!a.accepted && profile.cached) {
    // The draft may have been revised since the profile was read: decide on the current one.
    profile = await intakeProfile(s.prisma, decisionId, true);
    checkParagraph();
    a = await accept();
  }
  if (!a.accepted) refuseClosed(a, 'comment');
  return a;
}

export async function submitSurveyAnswer(s: PublicServices, client: string, decisionId: string, answers: Answers, clientKey: string) {
  const { state } = await decisionState(s.prisma, decisionId);
  const survey = [...state.windows].reverse().find((w) => w.kind === 'survey');
  if (!survey) refuseClosed({ accepted: false, reason: 'no-window' }, 'survey');
  const issues = answerIssues((survey.questions ?? []) as Question[], answers);
  if (issues.length) throw new ApiError(400, 'INVALID_INPUT', `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  await limitSubmission(s, client, decisionId);
  const a = await acceptSurveyAnswer(s.prisma, { decisionId, answers, clientKey });
  if (!a.accepted) refuseClosed(a, 'survey');
  return a;
}

export async function registerForHearing(s: PublicServices, client: string, r: RegistrationInput) {
  const { state } = await decisionState(s.prisma, r.decisionId);
  const records = await s.prisma.stageRecord.findMany({ where: { decisionId: r.decisionId, procedureId: 'main', stage: 'publicity-and-hearing' }, orderBy: { at: 'asc' } });
  const open = registrationState(state, hearingNoticeOf(records as StoredRecord[]), latest(records as StoredRecord[], 'hearing-record') !== null);
  if (open !== 'open') {
    throw new ApiError(409, 'REGISTRATION_CLOSED', open === 'not-required' ? 'no hearing is held on this decision' : 'registration for this hearing is closed; nothing was stored', { state: open }, 'Decree 713 Arts 16–17');
  }
  await limitSubmission(s, client, r.decisionId);
  return register(s.prisma, r);
}
