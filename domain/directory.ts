import { Refusal } from './refusals';
import type { Role } from './stages';

// The rules of the staff directory that are not about who (docs/authority.md "Rules that are not
// about who"; DOMAIN §3 inv. 7, §6). Pure: the application layer loads the facts from the store
// and asks; a rule broken is a Refusal, nothing broken is null.

/** What the rules need to know of an organ: its successor and the roles of its offices. */
export interface OrganFacts {
  id: string;
  successorId: string | null;
  /**
   * The roles of the offices held in the organ and in every organ merged into it (those it
   * carries on): an organ that absorbed a supervising organ supervises.
   */
  officeRoles: readonly Role[];
}

/** A market entity is not an organ of government: an organ whose offices are market-entity offices. */
export type OrganKind = 'government' | 'market-entity';

export const organKind = (o: Pick<OrganFacts, 'officeRoles'>): OrganKind =>
  o.officeRoles.includes('market-entity') ? 'market-entity' : 'government';

/** The roles that supervise other organs: an organ holding them is never absorbed by one that does not. */
export const SUPERVISING_ROLES: readonly Role[] = ['supervisor', 'directory-administrator'];

/**
 * Whether `organ` may be merged into `into`. `carriedOn` is every organ whose chain of successors
 * leads to `organ`, `organ` included: merging into one of them would close a cycle.
 */
export function checkMerge(organ: OrganFacts, into: OrganFacts, carriedOn: readonly string[]): Refusal | null {
  if (organ.successorId)
    return new Refusal('ALREADY_MERGED', `${organ.id} was already merged into ${organ.successorId}`, {
      organId: organ.id,
      successorId: organ.successorId,
    });
  if (organ.id === into.id || carriedOn.includes(into.id)) {
    return new Refusal(
      'MERGE_CYCLE',
      into.id === organ.id
        ? `${organ.id} cannot be merged into itself`
        : `${into.id} was itself merged into ${organ.id}`,
      { organId: organ.id, into: into.id },
    );
  }
  const [kind, intoKind] = [organKind(organ), organKind(into)];
  if (kind !== intoKind) {
    return new Refusal(
      'MERGE_KIND_MISMATCH',
      `${organ.id} is ${kindText(kind)} and ${into.id} is ${kindText(intoKind)}: a market entity is never merged with an organ of government`,
      { organId: organ.id, kind, into: into.id, intoKind },
    );
  }
  const missing = SUPERVISING_ROLES.filter((r) => organ.officeRoles.includes(r) && !into.officeRoles.includes(r));
  if (missing.length) {
    return new Refusal(
      'MERGE_ABSORBS_SUPERVISOR',
      `${organ.id} holds ${missing.join(' and ')} offices; it is merged only into an organ that holds them too`,
      { organId: organ.id, into: into.id, roles: missing },
    );
  }
  return null;
}

const kindText = (k: OrganKind) => (k === 'market-entity' ? 'a market entity' : 'an organ of government');

/** A clock skew tolerated between the client dating a handover and the server. */
export const HANDOVER_CLOCK_SKEW_MS = 60_000;

export interface HandoverFacts {
  officeId: string;
  /** The office's organ, then the organs that carry it on. */
  officeLineage: readonly string[];
  /** The organs the successor belongs to: their own, and those of the offices they hold now. */
  successorOrgans: readonly string[];
  /** The start of the office's latest term, and its end if it has ended (the office is vacant). */
  latestTerm: { startsAt: Date; endsAt: Date | null } | null;
  at: Date;
  now: Date;
}

/** Whether an office may pass to the successor at `at` (the successor is an active person). */
export function checkHandover(f: HandoverFacts): Refusal | null {
  if (!f.successorOrgans.some((o) => f.officeLineage.includes(o))) {
    return new Refusal(
      'HANDOVER_OUTSIDE_ORGAN',
      `${f.officeId} passes only to a person of ${f.officeLineage[0]} or of the organ carrying it on`,
      { officeId: f.officeId, organLineage: f.officeLineage },
    );
  }
  if (f.at.getTime() > f.now.getTime() + HANDOVER_CLOCK_SKEW_MS) {
    return new Refusal(
      'HANDOVER_IN_FUTURE',
      'a handover takes effect when it is made; it cannot be dated in the future',
      { officeId: f.officeId, at: f.at.toISOString(), now: f.now.toISOString() },
    );
  }
  const t = f.latestTerm;
  // A vacant office's last holder held it until the end of their term: history before it stays.
  const from = t ? (t.endsAt && t.endsAt.getTime() <= f.now.getTime() ? t.endsAt : t.startsAt) : null;
  if (from && f.at.getTime() < from.getTime()) {
    return new Refusal(
      'HANDOVER_BEFORE_CURRENT_TERM',
      `a handover of ${f.officeId} cannot be dated before ${from.toISOString()}, when its current term began`,
      { officeId: f.officeId, at: f.at.toISOString(), currentTermFrom: from.toISOString() },
    );
  }
  return null;
}
