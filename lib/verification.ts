import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from './db';
import type { Notifier } from './notifier';

// Verification of a commenter's e-mail address or phone when a template requires it
// (publicVerification). A six-digit code goes out through the notifier; the table keeps only
// keyed hashes of the destination and of the code. A code expires, and after MAX_ATTEMPTS wrong
// guesses it is dead. A verified code may be used for opinions until it expires.

export type Channel = 'email' | 'phone';
export const CODE_TTL_MINUTES = 15;
export const MAX_ATTEMPTS = 5;
/** Codes one destination may be sent per hour on one decision. */
export const MAX_CODES_PER_HOUR = 5;

export type VerificationFailure =
  'invalid-destination' | 'too-many-codes' | 'not-found' | 'expired' | 'too-many-attempts' | 'wrong-code';
export class VerificationError extends Error {
  constructor(
    readonly reason: VerificationFailure,
    readonly attemptsLeft?: number,
  ) {
    super(reason);
  }
}

const EMAIL = /^[^\s@<>"',;]{1,64}@[^\s@<>"',;]+\.[^\s@<>"',;]{2,}$/;
const PHONE = /^\+?[0-9]{7,15}$/;

export function normalizeDestination(channel: Channel, raw: string): string | null {
  const v = channel === 'email' ? raw.trim().toLowerCase() : raw.replace(/[\s()-]/g, '');
  if (v.length > 200) return null;
  return (channel === 'email' ? EMAIL : PHONE).test(v) ? v : null;
}

export interface VerificationDeps {
  prisma: PrismaClient;
  notifier: Notifier;
  /** Keys the hashes, so a stolen table cannot be matched against a list of phone numbers. */
  secret: Uint8Array;
}

export const keyed = (secret: Uint8Array, s: string) =>
  'hmac-sha256:' + createHmac('sha256', secret).update(s).digest('hex');

/** Sends a code; `id`, when given, names it (a client's retry of the same request finds it: app/public). */
export async function sendCode(
  deps: VerificationDeps,
  v: { decisionId: string; channel: Channel; destination: string; id?: string },
): Promise<{ id: string; expiresAt: Date; address: string }> {
  const address = normalizeDestination(v.channel, v.destination);
  if (!address) throw new VerificationError('invalid-destination');
  const destinationHash = keyed(deps.secret, `${v.channel}:${address}`);
  const recent = await deps.prisma.verificationCode.count({
    where: { decisionId: v.decisionId, destinationHash, createdAt: { gt: new Date(Date.now() - 3_600_000) } },
  });
  if (recent >= MAX_CODES_PER_HOUR) throw new VerificationError('too-many-codes');
  const id = v.id ?? randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.now() + CODE_TTL_MINUTES * 60_000);
  await deps.prisma.verificationCode.create({
    data: {
      id,
      decisionId: v.decisionId,
      channel: v.channel,
      destinationHash,
      codeHash: keyed(deps.secret, `${id}:${code}`),
      expiresAt,
    },
  });
  await deps.notifier.deliver({
    id: `verification:${id}`,
    decisionId: v.decisionId,
    recipientRole: 'public',
    recipientId: null,
    kind: `verification-code:${v.channel}`,
    message: `DueProcess verification code: ${code} (valid ${CODE_TTL_MINUTES} minutes)`,
    destination: { channel: v.channel, address },
  });
  return { id, expiresAt, address };
}

/** Checks a code; returns the channel it verified. Wrong guesses are counted and bounded. */
export async function checkCode(
  deps: Omit<VerificationDeps, 'notifier'>,
  v: { decisionId: string; id: string; code: string },
): Promise<{ channel: Channel }> {
  const row = /^[0-9a-f-]{36}$/.test(v.id)
    ? await deps.prisma.verificationCode.findFirst({ where: { id: v.id, decisionId: v.decisionId } })
    : null;
  if (!row) throw new VerificationError('not-found');
  if (row.expiresAt.getTime() <= Date.now()) throw new VerificationError('expired');
  if (row.attempts >= MAX_ATTEMPTS) throw new VerificationError('too-many-attempts', 0);
  const expected = Buffer.from(row.codeHash);
  const given = Buffer.from(keyed(deps.secret, `${row.id}:${v.code.trim()}`));
  if (expected.length === given.length && timingSafeEqual(expected, given)) {
    if (!row.verifiedAt)
      await deps.prisma.verificationCode.update({ where: { id: row.id }, data: { verifiedAt: new Date() } });
    return { channel: row.channel as Channel };
  }
  const bumped = await deps.prisma.verificationCode.updateManyAndReturn({
    where: { id: row.id, attempts: { lt: MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  const attempts = bumped[0]?.attempts ?? MAX_ATTEMPTS;
  throw new VerificationError(attempts >= MAX_ATTEMPTS ? 'too-many-attempts' : 'wrong-code', MAX_ATTEMPTS - attempts);
}
