import type { Request } from 'express';
import type { AppDeps } from '../../app/deps';
import { publicClientOf, withPublicDefaults } from '../../app/public';
import type { Notifier } from '../../lib/notifier';
import type { AuthKey } from '../auth';
import type { DecisionDeps } from '../decisions/service';

// What the public routes are given, and the public client a request comes from (a keyed HMAC of
// its address: app/public/client.ts).

export type PublicDeps = DecisionDeps & { authKey?: AuthKey; notifier?: Notifier };

/** The application layer's dependencies of the public routes, fixed when the router is built. */
export const publicAppDeps = (deps: PublicDeps): AppDeps =>
  withPublicDefaults({ ...deps, ...(deps.authKey ? { secret: deps.authKey.secret } : {}) });

export const clientOf = (app: AppDeps, req: Request) => publicClientOf(app, req.ip);
