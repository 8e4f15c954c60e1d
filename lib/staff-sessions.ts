import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from './db';

// Sessions of the staff workspace. The cookie carries a random token; the table keeps only its
// hash (a leaked table opens no session) and the session's CSRF token. What the person may do is
// never stored here: it is resolved from the directory on every request.

export const SESSION_HOURS = 8;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

export async function createSession(
  prisma: PrismaClient,
  userId: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await prisma.staffSession.create({ data: { id: hashToken(token), userId, csrfToken, expiresAt } });
  return { token, csrfToken, expiresAt };
}

export async function findSession(prisma: PrismaClient, token: string | undefined) {
  if (!token || token.length > 100) return null;
  const s = await prisma.staffSession.findUnique({ where: { id: hashToken(token) } });
  if (!s || s.revokedAt || s.expiresAt.getTime() <= Date.now()) return null;
  return s;
}

export async function revokeSession(prisma: PrismaClient, token: string | undefined): Promise<void> {
  if (!token) return;
  await prisma.staffSession.updateMany({
    where: { id: hashToken(token), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/** Constant-time comparison of a submitted token with the expected one. */
export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
