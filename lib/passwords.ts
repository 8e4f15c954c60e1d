import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { PrismaClient } from './db';

// Staff passwords: argon2id (RFC 9106) through @node-rs/argon2, with its parameters stored in
// each hash, so they can be raised later without invalidating existing passwords.

export const MIN_PASSWORD_LENGTH = 12;
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** A hash computed once, so an unknown user costs as much time as a wrong password. */
let decoy: Promise<string> | null = null;

export function checkPasswordStrength(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'a password has at most 1024 characters';
  return null;
}

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function setPassword(prisma: PrismaClient, userId: string, password: string): Promise<void> {
  const problem = checkPasswordStrength(password);
  if (problem) throw new Error(problem);
  const user = await prisma.staffUser.findUnique({ where: { id: userId } });
  if (!user) throw new Error(`no staff user "${userId}"`);
  const passwordHash = await hashPassword(password);
  await prisma.staffCredential.upsert({
    where: { userId },
    create: { userId, passwordHash },
    update: { passwordHash, updatedAt: new Date() },
  });
}

/** True when the user has a credential and the password matches it. */
export async function checkPassword(prisma: PrismaClient, userId: string, password: string): Promise<boolean> {
  const cred = await prisma.staffCredential.findUnique({ where: { userId } });
  if (!cred) {
    decoy ??= hashPassword('decoy password, never matches');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(cred.passwordHash, password).catch(() => false);
}
