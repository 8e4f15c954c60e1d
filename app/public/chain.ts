import { chainHead, latestCheckpoint, publicChain, type ChainHead, type SignedCheckpoint } from '../../lib/checkpoints';
import type { AppDeps } from '../deps';
import type { PublicClient } from './client';
import { readDisclosedDecision } from './decisions';

// The public face of the audit chains (`decision.public-read`, `catalog.read` in
// docs/authority.md): a disclosed decision's chain head and the links of its chain (no bodies),
// and the latest signed checkpoint of every chain's head, so anyone can keep one and check a
// record against it later (npm run verify-checkpoint).

export async function readPublicChain(client: PublicClient, input: { decisionId: string }, deps: AppDeps) {
  await readDisclosedDecision(client, input, deps);
  return publicChain(deps.prisma, input.decisionId);
}

/** The head of a decision's chain; the caller has already read the disclosed decision. */
export const readChainHead = (
  _client: PublicClient,
  input: { decisionId: string },
  deps: AppDeps,
): Promise<ChainHead | null> => chainHead(deps.prisma, input.decisionId);

export const readLatestCheckpoint = (
  _client: PublicClient,
  _input: Record<string, never>,
  deps: AppDeps,
): Promise<SignedCheckpoint | null> => latestCheckpoint(deps.prisma);
