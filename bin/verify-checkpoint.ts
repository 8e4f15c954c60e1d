// `npm run verify-checkpoint -- --checkpoint saved.json --record <public record URL or file> [--key key.pem]`
//
// Anyone can run it, with no access to the database: it checks that a saved checkpoint was signed
// by the city's checkpoint key, then that a decision's public record (GET
// /api/public/decisions/{id}: its `auditChain` links, seq, hash and prevHash) links up from the
// first entry and still contains the entry the checkpoint recorded for that decision. A record
// that ends before it (entries deleted) or differs at it fails. Exit 0 when it holds, 1 when it
// does not, 2 on a usage or input problem.
//
// --key is the public key (PEM, as published at /api/public/checkpoints/key). Without it, the key
// is fetched from the record's server, which proves less: pin the key you trust with --key.
import * as fs from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { checkpointProblem, publicChainProblem, type SignedCheckpoint } from '../lib/checkpoints';

class Usage extends Error {}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const isUrl = (s: string) => /^https?:\/\//.test(s);

async function readText(source: string): Promise<string> {
  if (!isUrl(source)) return fs.readFileSync(source, 'utf8');
  const res = await fetch(source, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Usage(`${source} answered ${res.status}`);
  return res.text();
}

async function readJson<T>(source: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readText(source)) as T;
  } catch (e) {
    if (e instanceof Usage) throw e;
    throw new Usage(`cannot read the ${what} ${source}: ${e instanceof Error ? e.message : e}`);
  }
}

async function publicKey(keyPath: string | undefined, record: string): Promise<{ key: KeyObject; from: string }> {
  if (keyPath) return { key: createPublicKey(fs.readFileSync(keyPath, 'utf8')), from: keyPath };
  if (!isUrl(record))
    throw new Usage('give the public key with --key key.pem (the record is a file, so there is no server to ask)');
  const url = new URL('/api/public/checkpoints/key', record).toString();
  const body = await readJson<{ publicKey: string }>(url, 'public key');
  return { key: createPublicKey(body.publicKey), from: `${url} (fetched from the record's server: pin it with --key)` };
}

type PublicRecord = {
  decision?: { id?: string };
  auditChain?: { chain: string; entries: Array<{ seq: number; hash: string; prevHash: string }> };
};

async function main(): Promise<number> {
  const cpSource = arg('checkpoint');
  const recordSource = arg('record');
  if (!cpSource || !recordSource)
    throw new Usage(
      'usage: npm run verify-checkpoint -- --checkpoint saved.json --record <public record URL or file> [--key key.pem]',
    );
  const cp = await readJson<SignedCheckpoint>(cpSource, 'checkpoint');
  if (!cp?.statement?.heads) throw new Usage(`${cpSource} is not a checkpoint (no statement with heads)`);
  const { key, from } = await publicKey(arg('key'), recordSource);
  const signature = checkpointProblem(cp, key);
  if (signature) {
    console.error(`FAIL: checkpoint ${cp.seq}: ${signature}`);
    return 1;
  }
  console.log(`checkpoint ${cp.seq} (${cp.slot}): signature valid, key ${cp.keyId} from ${from}`);
  const record = await readJson<PublicRecord>(recordSource, 'record');
  const chain = record.auditChain?.chain ?? record.decision?.id;
  if (!chain || !record.auditChain) throw new Usage(`${recordSource} is not a public decision record (no auditChain)`);
  const problem = publicChainProblem(chain, record.auditChain.entries, cp);
  if (problem) {
    console.error(`FAIL: ${chain}: ${problem}`);
    return 1;
  }
  const at = cp.statement.heads.find((h) => h.chain === chain)!;
  console.log(
    `${chain}: ok — the record's ${record.auditChain.entries.length} entries link up and contain entry ${at.seq} (${at.hash}) as checkpoint ${cp.seq} recorded it`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
