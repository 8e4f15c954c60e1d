import type { CommitmentState } from '../../domain/commitment';
import { isoTimes } from '../../lib/iso-times';

// What the API returns for a commitment: the workflow state with instants as ISO 8601 and without
// the request fingerprint; a list row is the read-model row without the snapshot.

const TIME_KEY = /^(at|since)$|At$|For$|Since$/;

export function commitmentView(state: CommitmentState) {
  const { creationKey: _creationKey, ...rest } = state;
  return isoTimes(rest, TIME_KEY) as Record<string, unknown>;
}

export interface CommitmentRowLike {
  id: string;
  kind: string;
  title: string;
  organId: string;
  responsibleOfficeId: string;
  counterpartyId: string;
  counterpartyName: string;
  counterpartyIsSme: boolean;
  decisionId: string | null;
  status: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export function commitmentSummary(r: CommitmentRowLike) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    organId: r.organId,
    responsibleOfficeId: r.responsibleOfficeId,
    counterparty: { id: r.counterpartyId, name: r.counterpartyName, isSme: r.counterpartyIsSme },
    decisionId: r.decisionId,
    status: r.status,
    revision: r.revision,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
