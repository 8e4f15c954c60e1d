import { randomUUID } from 'node:crypto';
import { Refusal } from '../domain/refusals';
import { canonicalJson, sha256 } from '../lib/audit-chain';
import type { AppDeps } from './deps';

// Idempotency that cannot be borrowed (docs/authority.md; issue 9, part 3). A client's key is
// scoped to its owner (a staff person, or a public client) and to the operation: the scope, a hash
// of the three, is what the engine sees (the Temporal update ID, the audit event id, an opinion's
// client key), so another person's identical key names another scope. The first request under a
// scope fixes its body hash; the same key with another body is refused with 422
// IDEMPOTENCY_KEY_REUSED, and the same body is a retry, answered as the first time.
//
// Claim after parsing the input (a 400 fixes nothing) and before authorizing: a refused attempt
// retried with its key is the same attempt, and its audit entry (keyed by the scope) is written once.

export type KeyOwner = { kind: 'staff'; id: string } | { kind: 'public'; id: string };

export interface Claim {
  /** The scoped key; random when the request carried none (then nothing is deduplicated). */
  scope: string;
  /** True when this scope was claimed before with the same body: a retry. */
  replay: boolean;
}

const hex = (text: string) => sha256(text).replace(/^sha256:/, '');

export const scopeOf = (owner: KeyOwner, operation: string, key: string) =>
  `k:${hex(`${owner.kind}:${owner.id}\n${operation}\n${key}`).slice(0, 40)}`;

/** The body as the client sent it: through JSON, so a Date is its ISO text, not an empty object. */
export const bodyHashOf = (body: unknown) => hex(canonicalJson(JSON.parse(JSON.stringify(body ?? null))));

export async function claimKey(
  deps: Pick<AppDeps, 'prisma'>,
  owner: KeyOwner,
  operation: string,
  key: string | undefined,
  body: unknown,
): Promise<Claim> {
  if (key === undefined) return { scope: `r:${randomUUID()}`, replay: false };
  const scope = scopeOf(owner, operation, key);
  const bodyHash = bodyHashOf(body);
  const inserted = await deps.prisma.$executeRaw`
    INSERT INTO idempotency_key (scope, operation, body_hash) VALUES (${scope}, ${operation}, ${bodyHash})
    ON CONFLICT (scope) DO NOTHING`;
  if (inserted === 1) return { scope, replay: false };
  const first = await deps.prisma.idempotencyKey.findUnique({ where: { scope }, select: { bodyHash: true } });
  if (first && first.bodyHash !== bodyHash) {
    throw new Refusal(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with another request; a key is reused only to retry the same request',
      { operation },
    );
  }
  return { scope, replay: true };
}
