import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { CheckpointKey } from '../lib/checkpoints';
import type { PrismaClient } from '../lib/db';
import { log as defaultLog, type Log } from '../lib/log';
import type { Notifier } from '../lib/notifier';
import type { TemplateRegistry } from '../lib/templates';
import type { Auth, AuthKey } from '../api/auth';
import { resolveActor } from '../lib/directory';
import { commitmentsRouter } from '../api/commitments/router';
import { decisionsRouter } from '../api/decisions/router';
import { directoryRouter } from '../api/directory/router';
import { integrityRouter } from '../api/integrity/router';
import { ApiError, errorMiddleware } from '../api/errors';
import { openApiDocument } from '../api/openapi';
import { checkpointsRouter } from '../api/public/checkpoints';
import { publicInputRouter } from '../api/public/router';
import { applySecurity, type SecurityDeps } from '../api/security';
import { sameOriginForms, trustedOrigins } from '../web/origin-check';
import { webRouter } from '../web/router';

// The HTTP edge. createApp returns the app without listening, so tests drive the real app with
// supertest; bin/api.ts listens.

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  templates: TemplateRegistry;
  authKey: AuthKey;
  taskQueue?: string;
  /** Where the app logs (failed requests, the security-event stream); lib/log.ts (pino, stdout) by default. */
  log?: Log;
  /** Sends verification codes to commenters (e-mail, SMS); the log notifier by default, which sends nothing. */
  notifier?: Notifier;
  /** Rate limits of this app instance; unset fields come from the environment (api/security.ts). */
  limits?: SecurityDeps['limits'];
  /** The audit checkpoint key whose public half is published; DUEPROCESS_CHECKPOINT_KEY or the local dev key by default. */
  checkpointKey?: CheckpointKey;
}

export function createApp(given: AppDeps): Express {
  const log = given.log ?? defaultLog;
  const deps: AppDeps = { ...given, log };
  const app = express();
  app.set('query parser', 'simple');
  const security = applySecurity(app, deps);
  // Page form POSTs from another origin are refused before their body is read (web/origin-check.ts).
  app.use(sameOriginForms(trustedOrigins(security.publicOrigins)));
  app.use(express.json({ limit: '1mb' }));

  const openapi = openApiDocument();
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/api/templates', (_req, res) => {
    res.json({ templates: [...deps.templates.values()] });
  });
  const auth: Auth = { key: deps.authKey, resolve: (userId) => resolveActor(deps.prisma, userId) };
  app.use('/api/decisions', decisionsRouter({ ...deps, auth }));
  app.use('/api', directoryRouter({ ...deps, auth }));
  app.use('/api', integrityRouter({ ...deps, auth }));
  app.use('/api', commitmentsRouter({ ...deps, auth }));
  app.use('/api', checkpointsRouter(deps));
  app.use('/api', publicInputRouter(deps));
  app.use(webRouter(deps));
  app.use((req, _res, next) => next(new ApiError(404, 'NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(log));
  return app;
}
