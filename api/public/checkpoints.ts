import { Router } from 'express';
import { checkpointKey, latestCheckpoint, publicKeyPem, type CheckpointKey } from '../../lib/checkpoints';
import type { PrismaClient } from '../../lib/db';
import { ApiError } from '../errors';

// The signed checkpoints of the audit chains, for anyone: the latest one (save it: a chain later
// found behind it lost its tail) and the public key it is signed with. See README "No back door".

export function checkpointsRouter(deps: { prisma: PrismaClient; checkpointKey?: CheckpointKey }): Router {
  const r = Router();
  let key = deps.checkpointKey;
  const keyOf = () => (key ??= checkpointKey());

  r.get('/public/checkpoints/latest', async (_req, res) => {
    const cp = await latestCheckpoint(deps.prisma);
    if (!cp) throw new ApiError(404, 'NOT_FOUND', 'no checkpoint has been signed yet');
    res.json(cp);
  });

  r.get('/public/checkpoints/key', (req, res) => {
    const k = keyOf();
    const pem = publicKeyPem(k);
    if (req.accepts(['json', 'application/x-pem-file']) === 'application/x-pem-file') {
      res.type('application/x-pem-file').send(pem);
      return;
    }
    res.json({ algorithm: 'Ed25519', keyId: k.keyId, publicKey: pem });
  });
  return r;
}
