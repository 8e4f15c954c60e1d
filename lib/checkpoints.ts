import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJson, GENESIS, sha256 } from './hashing';
import type { Prisma, PrismaClient } from './db';
import { dataDir } from './paths';

// Signed checkpoints of the audit chains. A checkpoint is one statement naming the head (last seq
// and hash) of every chain — each decision's, `directory`, each `commitment:<id>` — and the hash
// of the previous checkpoint, signed with Ed25519. Once a checkpoint is published (and saved by
// anyone), deleting the tail of a chain is no longer silent: the chain is behind the checkpoint.
// Stored append-only in `audit_checkpoint`, one per slot, so several workers make one between them.

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface CheckpointStatement {
  type: 'dueprocess-audit-checkpoint';
  version: 1;
  seq: number;
  slot: string;
  at: string;
  /** The hash of the previous checkpoint's statement; null for the first. */
  previous: string | null;
  keyId: string;
  heads: Array<{ chain: string } & ChainHead>;
}

/** What is published and what anyone saves: the statement, its hash and its signature. */
export interface SignedCheckpoint {
  seq: number;
  slot: string;
  algorithm: 'Ed25519';
  keyId: string;
  hash: string;
  signature: string;
  statement: CheckpointStatement;
}

export interface CheckpointKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** sha256 of the public key (SPKI DER): names the key in every statement. */
  keyId: string;
  /** Where a generated local-only key lives, when DUEPROCESS_CHECKPOINT_KEY is not set. */
  generatedFile: string | null;
}

export const keyIdOf = (publicKey: KeyObject) =>
  'sha256:' +
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

export const publicKeyPem = (k: CheckpointKey) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function parsePrivateKey(value: string): KeyObject {
  const text = value.trim();
  const key = text.startsWith('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`DUEPROCESS_CHECKPOINT_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/**
 * The signing key: DUEPROCESS_CHECKPOINT_KEY (PKCS#8, PEM or base64 DER), else — LOCAL
 * DEVELOPMENT ONLY — a key generated on first use in the git-ignored .data folder, shared by the
 * processes of this checkout. A deployment sets DUEPROCESS_CHECKPOINT_KEY and publishes its key.
 */
export function checkpointKey(env: NodeJS.ProcessEnv = process.env): CheckpointKey {
  let privateKey: KeyObject;
  let generatedFile: string | null = null;
  if (env.DUEPROCESS_CHECKPOINT_KEY) privateKey = parsePrivateKey(env.DUEPROCESS_CHECKPOINT_KEY);
  else {
    generatedFile = dataDir('dev-checkpoint-key.pem');
    if (!fs.existsSync(generatedFile)) {
      fs.mkdirSync(path.dirname(generatedFile), { recursive: true });
      const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      try {
        fs.writeFileSync(generatedFile, pem, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first
      }
    }
    privateKey = parsePrivateKey(fs.readFileSync(generatedFile, 'utf8'));
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), generatedFile };
}

type Db = Prisma.TransactionClient | PrismaClient;

/** The head of one chain: its last entry's seq and hash, or null when it has none. */
export async function chainHead(db: Db, chain: string): Promise<ChainHead | null> {
  return db.auditEntry.findFirst({
    where: { decisionId: chain },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
}

/** The heads of every chain, by chain id. */
export async function chainHeads(db: Db): Promise<Array<{ chain: string } & ChainHead>> {
  const rows = await db.$queryRaw<Array<{ chain: string; seq: number; hash: string }>>`
    SELECT DISTINCT ON (decision_id) decision_id AS chain, seq, hash FROM audit_entry ORDER BY decision_id, seq DESC`;
  return rows
    .map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash }))
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
}

/** A chain as the public record shows it: the links only (seq, hash, prevHash), no bodies. */
export async function publicChain(
  db: Db,
  chain: string,
): Promise<{ chain: string; head: ChainHead | null; entries: Array<{ seq: number; hash: string; prevHash: string }> }> {
  const entries = await db.auditEntry.findMany({
    where: { decisionId: chain },
    orderBy: { seq: 'asc' },
    select: { seq: true, hash: true, prevHash: true },
  });
  const last = entries[entries.length - 1];
  return { chain, head: last ? { seq: last.seq, hash: last.hash } : null, entries };
}

type Row = { seq: number; slot: Date; statement: unknown; hash: string; signature: string; keyId: string };

const toSigned = (r: Row): SignedCheckpoint => ({
  seq: r.seq,
  slot: r.slot.toISOString(),
  algorithm: 'Ed25519',
  keyId: r.keyId,
  hash: r.hash,
  signature: r.signature,
  statement: r.statement as CheckpointStatement,
});

export async function latestCheckpoint(db: Db): Promise<SignedCheckpoint | null> {
  const row = await db.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' } });
  return row ? toSigned(row) : null;
}

/** The start of the period slot `now` falls in. */
export const slotOf = (now: Date, periodSeconds: number) =>
  new Date(Math.floor(now.getTime() / (periodSeconds * 1000)) * periodSeconds * 1000);

/**
 * Makes the checkpoint of a slot, once: returns the existing one when the slot already has one
 * (another worker, an API process, an earlier run). Checkpoints are serialised by a lock, so each
 * names the one before it.
 */
export async function makeCheckpoint(
  prisma: PrismaClient,
  key: CheckpointKey,
  slot: Date,
): Promise<{ checkpoint: SignedCheckpoint; created: boolean }> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('audit-checkpoint', 0))`;
    const existing = await tx.auditCheckpoint.findUnique({ where: { slot } });
    if (existing) return { checkpoint: toSigned(existing), created: false };
    const previous = await latestCheckpoint(tx);
    const statement: CheckpointStatement = {
      type: 'dueprocess-audit-checkpoint',
      version: 1,
      seq: (previous?.seq ?? 0) + 1,
      slot: slot.toISOString(),
      at: new Date().toISOString(),
      previous: previous?.hash ?? null,
      keyId: key.keyId,
      heads: await chainHeads(tx),
    };
    const text = canonicalJson(statement);
    const hash = sha256(text);
    const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
    const inserted = await tx.$executeRaw`
      INSERT INTO audit_checkpoint (seq, slot, statement, hash, signature, key_id)
      VALUES (${statement.seq}, ${slot}, ${text}::jsonb, ${hash}, ${signature}, ${key.keyId})
      ON CONFLICT (slot) DO NOTHING`;
    if (!inserted) {
      const row = await tx.auditCheckpoint.findUniqueOrThrow({ where: { slot } });
      return { checkpoint: toSigned(row), created: false };
    }
    return {
      checkpoint: {
        seq: statement.seq,
        slot: statement.slot,
        algorithm: 'Ed25519',
        keyId: key.keyId,
        hash,
        signature,
        statement,
      },
      created: true,
    };
  });
}

/** Why a saved checkpoint does not hold under this public key, or null when it does. */
export function checkpointProblem(cp: SignedCheckpoint, publicKey: KeyObject): string | null {
  const text = canonicalJson(cp.statement);
  if (sha256(text) !== cp.hash) return 'the checkpoint statement does not match its hash: it was altered';
  if (cp.statement.keyId !== keyIdOf(publicKey))
    return `the checkpoint was signed by key ${cp.statement.keyId}, not by the given key ${keyIdOf(publicKey)}`;
  let ok = false;
  try {
    ok = verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? null : 'the signature does not verify: the checkpoint was not signed by this key, or was altered';
}

/**
 * Why a chain's public links (seq, hash, prevHash) do not hold, or do not contain the head the
 * checkpoint recorded for it; null when they do.
 */
export function publicChainProblem(
  chain: string,
  entries: Array<{ seq: number; hash: string; prevHash: string }>,
  cp: SignedCheckpoint,
): string | null {
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.seq !== i + 1) return `the record's chain jumps from entry ${i} to ${e.seq}: an entry is missing`;
    if (e.prevHash !== prev) return `entry ${e.seq} does not link to entry ${i}: the chain was altered`;
    prev = e.hash;
  }
  const at = cp.statement.heads.find((h) => h.chain === chain);
  if (!at) return `checkpoint ${cp.seq} does not cover the chain ${chain}`;
  const last = entries.length;
  if (last < at.seq)
    return `entries after seq ${last} were deleted: checkpoint ${cp.seq} (${cp.slot}) recorded entry ${at.seq} of ${chain}, the record ends at ${last}`;
  if (entries[at.seq - 1].hash !== at.hash)
    return `entry ${at.seq} of ${chain} differs from the one checkpoint ${cp.seq} (${cp.slot}) recorded`;
  return null;
}

/**
 * The worker's periodic checkpoint: one for the current slot now, then one per period. Failures
 * are logged and retried at the next tick.
 */
export function startCheckpoints(
  prisma: PrismaClient,
  key: CheckpointKey,
  periodSeconds: number,
  log: (e: Record<string, unknown>) => void,
): { stop(): void } {
  const tick = async () => {
    try {
      const { checkpoint, created } = await makeCheckpoint(prisma, key, slotOf(new Date(), periodSeconds));
      if (created)
        log({
          msg: 'audit checkpoint signed',
          seq: checkpoint.seq,
          slot: checkpoint.slot,
          chains: checkpoint.statement.heads.length,
        });
    } catch (e) {
      log({ msg: 'audit checkpoint failed', error: e instanceof Error ? e.message : String(e) });
    }
  };
  void tick();
  // Ticks a little more often than the period, so a slot is not missed by timer drift.
  const timer = setInterval(() => void tick(), Math.max(1, Math.ceil(periodSeconds / 4)) * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
