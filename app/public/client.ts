import { createHmac, randomBytes } from 'node:crypto';
import { consume, publicLimits, type PublicLimits } from '../../lib/rate-limit';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { scopeOf } from '../idempotency';

// The public client: no sign-in, so the only "who" is the address Express sees (`req.ip`, which
// honours "trust proxy" only when the deployment sets it). It is never stored or logged as such:
// the client id is a keyed HMAC of it, under a key derived from the deployment's secret, so a
// table of ids cannot be matched against the address space. The id scopes a client's
// Idempotency-Keys (docs/authority.md) and counts its submissions against the rate limits.

export interface PublicClient {
  /** Pseudonymous and stable for one deployment; never the address. */
  readonly id: string;
}

/** Without a deployment secret (a test app, a tool) one is generated per process. */
const processSecret = randomBytes(32);
const derived = new WeakMap<Uint8Array, Buffer>();

/** The deployment secret: the composition root passes the token key's. */
export const publicSecret = (deps: Pick<AppDeps, 'secret'>): Uint8Array => deps.secret ?? processSecret;

function clientIdKey(secret: Uint8Array): Buffer {
  let key = derived.get(secret);
  if (!key) derived.set(secret, (key = createHmac('sha256', secret).update('dueprocess/public-client-id/v1').digest()));
  return key;
}

export function publicClientOf(deps: Pick<AppDeps, 'secret'>, address: string | undefined): PublicClient {
  return {
    id:
      'pc:' +
      createHmac('sha256', clientIdKey(publicSecret(deps)))
        .update(address ?? 'unknown')
        .digest('hex')
        .slice(0, 32),
  };
}

/** The limits fixed when the edge was built, else read from the environment. */
export const limitsOf = (deps: Pick<AppDeps, 'publicLimits'>): PublicLimits => deps.publicLimits ?? publicLimits();

/** What both edges add once, when they are built: the limits of this instance. */
export const withPublicDefaults = <D extends AppDeps>(deps: D): D => ({
  ...deps,
  publicLimits: deps.publicLimits ?? publicLimits(),
});

export type PublicOperation = 'opinion.submit' | 'survey.answer' | 'hearing.register' | 'verification.request';

/**
 * The key the stores see: the client's Idempotency-Key scoped to the client and the operation,
 * so another client's identical key names another submission. Without a key, a random one (then
 * nothing is deduplicated).
 */
export const scopedKey = (
  client: PublicClient,
  operation: PublicOperation,
  key: string | undefined,
): string | undefined => (key === undefined ? undefined : scopeOf({ kind: 'public', id: client.id }, operation, key));

const rateLimited = (what: string, retryAfterSeconds: number) =>
  new AppError(429, 'RATE_LIMITED', `too many ${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

/** Submissions per client on one decision and in all (shared by every process through PostgreSQL). */
export async function limitSubmission(deps: AppDeps, client: PublicClient, decisionId: string): Promise<void> {
  const limits = limitsOf(deps);
  const d = await consume(deps.prisma, [
    { rule: limits.submit, subject: `${client.id}:${decisionId}` },
    { rule: limits.submitTotal, subject: client.id },
  ]);
  if (!d.allowed) throw rateLimited('submissions from this client', d.retryAfterSeconds);
}

export async function limitLookup(deps: AppDeps, client: PublicClient): Promise<void> {
  const d = await consume(deps.prisma, [{ rule: limitsOf(deps).lookup, subject: client.id }]);
  if (!d.allowed) throw rateLimited('look-ups', d.retryAfterSeconds);
}
