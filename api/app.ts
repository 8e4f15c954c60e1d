import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { CheckpointKey } from '../lib/checkpoints';
import type { PrismaClient } from '../lib/db';
import type { Notifier } from '../lib/notifier';
import type { TemplateRegistry } from '../lib/templates';
import type { Auth, AuthKey } from './auth';
import { resolveActor } from '../lib/directory';
import { commitmentsRouter } from './commitments/router';
import { decisionsRouter } from './decisions/router';
import { directoryRouter } from './directory/router';
import { integrityRouter } from './integrity/router';
import { ApiError, errorMiddleware } from './errors';
import { openApiDocument } from './openapi';
import { checkpointsRouter } from './public/checkpoints';
import { publicInputRouter } from './public/router';
import { applySecurity } from './security';
import { webRouter } from '../web/router';

// The HTTP edge. createApp returns the app without listening, so tests drive the real app with
// supertest; bin/api.ts listens.

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  templates: TemplateRegistry;
  authKey: AuthKey;
  taskQueue?: string;
  log?: (entry: Record<string, unknown>) => void;
  /** Sends verification codes to commenters (e-mail, SMS); the log notifier by default, which sends nothing. */
  notifier?: Notifier;
  /** Rate limits of this app instance; unset fields come from the environment (api/security.ts). */
  limits?: { enabled?: boolean; windowSeconds?: number; api?: number; publicWrite?: number; scope?: string };
  /** The audit checkpoint key whose public half is published; DUEPROCESS_CHECKPOINT_KEY or the local dev key by default. */
  checkpointKey?: CheckpointKey;
}

const defaultLog = (entry: Record<string, unknown>) => process.stderr.write(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('query parser', 'simple');
  applySecurity(app, deps);
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
  app.use(errorMiddleware(deps.log ?? defaultLog));
  return app;
}
