import { createHash } from 'node:crypto';

// The hashing every tamper-evident record shares (audit chain, stage records, drafts,
// dispositions, checkpoints). Re-exported by ./audit-chain.

export const GENESIS = 'sha256:' + '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash a draft document is stored under (api/decisions/service.ts `draftHash` is the same). */
export const documentHash = (text: string, explanation: string) => sha256(canonicalJson({ text, explanation }));
