import { Router } from 'express';
import { handOverOffice, readOffice } from '../../app/directory/offices';
import { mergeOrgan, renameOrgan } from '../../app/directory/organs';
import { handoverBody, mergeBody, renameBody } from '../../app/directory/schemas';
import type { AppDeps } from '../../app/deps';
import { requireStaff, type Auth } from '../auth';
import { idempotencyKey, param, parse } from '../http';

// The staff directory over HTTP (DOMAIN §3 inv. 7, §6): parse, call one command of
// app/directory, answer. Who may do what and the rules of merging and handing over are there.

export function directoryRouter(deps: AppDeps & { auth: Auth }): Router {
  const r = Router();
  const signedIn = requireStaff(deps.auth);

  r.get('/offices/:id', signedIn, async (req, res) => {
    res.json(await readOffice(req.actor!, { officeId: param(req, 'id') }, deps));
  });

  r.post('/offices/:id/handover', signedIn, async (req, res) => {
    const body = parse(handoverBody, req.body);
    res.json(await handOverOffice(req.actor!, { officeId: param(req, 'id'), body, key: idempotencyKey(req) }, deps));
  });

  r.post('/organs/:id/merge', signedIn, async (req, res) => {
    const body = parse(mergeBody, req.body);
    res.json(await mergeOrgan(req.actor!, { organId: param(req, 'id'), body, key: idempotencyKey(req) }, deps));
  });

  r.post('/organs/:id/rename', signedIn, async (req, res) => {
    const body = parse(renameBody, req.body);
    res.json(await renameOrgan(req.actor!, { organId: param(req, 'id'), body, key: idempotencyKey(req) }, deps));
  });

  return r;
}
