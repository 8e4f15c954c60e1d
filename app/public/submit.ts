import { randomUUID } from 'node:crypto';
import { splitParagraphs } from '../../domain/draft';
import type { DecisionState } from '../../domain/procedure';
import { answerIssues, registrationState, type Answers, type Question } from '../../domain/public';
import { Refusal } from '../../domain/refusals';
import { sha256 } from '../../lib/audit-chain';
import { perClient, type PrismaClient } from '../../lib/db';
import { register } from '../../lib/hearing';
import { logNotifier } from '../../lib/notifier';
import { hearingNoticeOf, latest, type StoredRecord } from '../../lib/public-decision';
import { acceptOpinion, acceptSurveyAnswer, type Acceptance } from '../../lib/public-input';
import {
  checkCode,
  keyed,
  normalizeDestination,
  sendCode,
  VerificationError,
  type Channel,
} from '../../lib/verification';
import type { AppDeps } from '../deps';
import { AppError, fieldError } from '../errors';
import { claimKey } from '../idempotency';
import { limitSubmission, publicSecret, scopedKey, type PublicClient } from './client';
import type { PublicOpinionInput } from './schemas';

// The public commands (docs/authority.md: public.submit, anyone while the window is open): the
// per-client rate limits, the verification a template requires, then the insert that succeeds
// only while the window is open (nothing is stored otherwise, Decree 713 Art 15). A client's
// Idempotency-Key is scoped to the client and the operation (./client.ts scopedKey) and stored as
// the row's client key, so the intake stays one statement: the same body again is a retry,
// answered with the first receipt; another body under the same key is refused with 422.

export interface Submitted {
  id: string;
  duplicate: boolean;
}

async function decisionState(prisma: PrismaClient, id: string): Promise<DecisionState> {
  const row = await prisma.decision.findUnique({ where: { id }, select: { state: true } });
  if (!row) throw new Refusal('DECISION_NOT_FOUND', `decision ${id} not found`);
  return row.state as unknown as DecisionState;
}

const keyReused = (operation: string) =>
  new Refusal(
    'IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was already used with another submission; a key is reused only to retry the same one; nothing was stored',
    { operation },
  );

function accepted(a: Acceptance, what: 'comment' | 'survey', operation: string): Submitted {
  if (a.accepted) return { id: a.id, duplicate: a.duplicate };
  if (a.reason === 'key-reused') throw keyReused(operation);
  throw new Refusal(
    'WINDOW_CLOSED',
    a.reason === 'no-window'
      ? `this decision is not open for ${what}`
      : `the ${what} window has closed; nothing was stored`,
    { reason: a.reason },
  );
}

/** The channel a template asks commenters to verify ("none" in the template: null). */
const verificationOf = (setting: string | null | undefined): Channel | null =>
  !setting || setting === 'none' ? null : (setting as Channel);
export const verificationRequired = (state: Pick<DecisionState, 'template'>): Channel | null =>
  verificationOf(state.template.publicVerification);

function verificationError(e: unknown): never {
  if (!(e instanceof VerificationError)) throw e;
  if (e.reason === 'invalid-destination') throw fieldError('destination', 'not a valid address for this channel');
  if (e.reason === 'too-many-codes')
    throw new AppError(429, 'RATE_LIMITED', 'too many codes sent to this address; try again later', {
      reason: e.reason,
    });
  throw new AppError(403, 'VERIFICATION_FAILED', `verification failed: ${e.reason}`, {
    reason: e.reason,
    ...(e.attemptsLeft !== undefined ? { attemptsLeft: e.attemptsLeft } : {}),
  });
}

const verificationDeps = (deps: AppDeps) => ({
  prisma: deps.prisma,
  notifier: deps.notifier ?? logNotifier,
  secret: publicSecret(deps),
});

/** A code id named by the scoped key, so a retry of the same request finds the code it sent. */
const codeIdOf = (scope: string) => {
  const h = sha256(`verification:${scope}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export interface VerificationRequest {
  decisionId: string;
  channel: Channel;
  destination: string;
  idempotencyKey?: string;
}

/**
 * Sends a verification code when the decision's template asks for one. With a key, the request is
 * claimed (its body: the decision, the channel and a keyed hash of the address); a retry answers
 * with the code already sent and sends nothing more.
 */
export async function requestVerification(
  client: PublicClient,
  input: VerificationRequest,
  deps: AppDeps,
): Promise<{ id: string; expiresAt: Date; address: string; duplicate: boolean }> {
  const state = await decisionState(deps.prisma, input.decisionId);
  const required = verificationRequired(state);
  if (!required)
    throw new Refusal('VERIFICATION_NOT_REQUIRED', 'this decision does not ask commenters to verify a contact');
  if (input.channel !== required) throw fieldError('channel', `this decision verifies by ${required}`);
  await limitSubmission(deps, client, input.decisionId);
  const v = verificationDeps(deps);
  let id: string | undefined;
  if (input.idempotencyKey !== undefined) {
    const address = normalizeDestination(input.channel, input.destination) ?? input.destination;
    const body = {
      decisionId: input.decisionId,
      channel: input.channel,
      destination: keyed(v.secret, `${input.channel}:${address}`),
    };
    const claim = await claimKey(
      deps,
      { kind: 'public', id: client.id },
      'verification.request',
      input.idempotencyKey,
      body,
    );
    id = codeIdOf(claim.scope);
    const sent = claim.replay ? await deps.prisma.verificationCode.findUnique({ where: { id } }) : null;
    if (sent) return { id, expiresAt: sent.expiresAt, address, duplicate: true };
  }
  const sent = await sendCode(v, {
    decisionId: input.decisionId,
    channel: input.channel,
    destination: input.destination,
    id,
  }).catch(verificationError);
  return { ...sent, duplicate: false };
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
async function intakeProfile(
  prisma: PrismaClient,
  decisionId: string,
  fresh = false,
): Promise<IntakeProfile & { cached: boolean }> {
  const cache = profiles(prisma);
  const hit = cache.get(decisionId);
  if (hit && !fresh && Date.now() - hit.at < PROFILE_TTL_MS) return { ...hit, cached: true };
  const [row] = await prisma.$queryRaw<Array<{ draft_hash: string; verification: string | null; text: string | null }>>`
    SELECT d.draft_hash, d.state->'template'->>'publicVerification' AS verification, doc.text
    FROM decision d LEFT JOIN draft_document doc ON doc.decision_id = d.id AND doc.hash = d.draft_hash
    WHERE d.id = ${decisionId}`;
  if (!row) throw new Refusal('DECISION_NOT_FOUND', `decision ${decisionId} not found`);
  const profile = {
    verification: verificationOf(row.verification),
    draftHash: row.draft_hash,
    paragraphs: row.text ? splitParagraphs(row.text).length : 0,
    at: Date.now(),
  };
  if (cache.size >= PROFILE_MAX) cache.clear();
  cache.set(decisionId, profile);
  return { ...profile, cached: false };
}

export interface OpinionSubmission extends PublicOpinionInput {
  decisionId: string;
  idempotencyKey?: string;
}

export async function submitOpinion(client: PublicClient, input: OpinionSubmission, deps: AppDeps): Promise<Submitted> {
  const { decisionId } = input;
  const paragraph = input.paragraph ?? null;
  let profile = await intakeProfile(deps.prisma, decisionId);
  const checkParagraph = () => {
    if (paragraph !== null && paragraph > profile.paragraphs)
      throw fieldError('paragraph', `the draft has ${profile.paragraphs} paragraphs`);
  };
  checkParagraph();
  await limitSubmission(deps, client, decisionId);
  let verifiedVia: string | null = null;
  const required = profile.verification;
  if (required) {
    if (!input.verification)
      throw new AppError(
        403,
        'VERIFICATION_REQUIRED',
        `this decision asks commenters to verify their ${required} first (POST /api/decisions/${decisionId}/verifications)`,
        { channel: required },
      );
    verifiedVia = (
      await checkCode(verificationDeps(deps), { decisionId, ...input.verification }).catch(verificationError)
    ).channel;
  }
  const clientKey = scopedKey(client, 'opinion.submit', input.idempotencyKey) ?? `r:${randomUUID()}`;
  const accept = () =>
    acceptOpinion(deps.prisma, {
      decisionId,
      draftHash: profile.draftHash,
      paragraph,
      text: input.text,
      authorName: input.name ?? null,
      contact: input.contact ?? null,
      clientKey,
      verifiedVia,
    });
  let a = await accept();
  if (!a.accepted && a.reason !== 'key-reused' && profile.cached) {
    // The draft may have been revised since the profile was read: decide on the current one.
    profile = await intakeProfile(deps.prisma, decisionId, true);
    checkParagraph();
    a = await accept();
  }
  return accepted(a, 'comment', 'opinion.submit');
}

export interface SurveyAnswerSubmission {
  decisionId: string;
  answers: Answers;
  idempotencyKey?: string;
}

export async function submitSurveyAnswer(
  client: PublicClient,
  input: SurveyAnswerSubmission,
  deps: AppDeps,
): Promise<Submitted> {
  const state = await decisionState(deps.prisma, input.decisionId);
  const survey = [...state.windows].reverse().find((w) => w.kind === 'survey');
  if (!survey) return accepted({ accepted: false, reason: 'no-window' }, 'survey', 'survey.answer');
  const issues = answerIssues((survey.questions ?? []) as Question[], input.answers);
  if (issues.length)
    throw new AppError(
      400,
      'INVALID_INPUT',
      `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
  await limitSubmission(deps, client, input.decisionId);
  const clientKey = scopedKey(client, 'survey.answer', input.idempotencyKey) ?? `r:${randomUUID()}`;
  return accepted(
    await acceptSurveyAnswer(deps.prisma, { decisionId: input.decisionId, answers: input.answers, clientKey }),
    'survey',
    'survey.answer',
  );
}

export interface HearingRegistration {
  decisionId: string;
  name: string;
  contact: string;
  represents: string;
  statement?: string;
  idempotencyKey?: string;
}

const REGISTRATION_BASIS = 'Decree 713 Arts 16–17';

export async function registerForHearing(
  client: PublicClient,
  input: HearingRegistration,
  deps: AppDeps,
): Promise<Submitted> {
  const state = await decisionState(deps.prisma, input.decisionId);
  const records = (await deps.prisma.stageRecord.findMany({
    where: { decisionId: input.decisionId, procedureId: 'main', stage: 'publicity-and-hearing' },
    orderBy: { at: 'asc' },
  })) as StoredRecord[];
  const open = registrationState(state, hearingNoticeOf(records), latest(records, 'hearing-record') !== null);
  if (open !== 'open') {
    throw new Refusal(
      'REGISTRATION_CLOSED',
      open === 'not-required'
        ? 'no hearing is held on this decision'
        : 'registration for this hearing is closed; nothing was stored',
      { state: open },
      REGISTRATION_BASIS,
    );
  }
  await limitSubmission(deps, client, input.decisionId);
  const clientKey = scopedKey(client, 'hearing.register', input.idempotencyKey) ?? `r:${randomUUID()}`;
  const r = await register(deps.prisma, {
    decisionId: input.decisionId,
    name: input.name,
    contact: input.contact,
    represents: input.represents,
    statement: input.statement ?? null,
    clientKey,
  });
  if ('reused' in r) throw keyReused('hearing.register');
  return r;
}
