import type { AppDeps } from '../app/deps';
import { withPublicDefaults } from '../app/public';
import { logNotifier } from '../lib/notifier';
import type { PublicLimits } from '../lib/rate-limit';

// What the pages need: the app's dependencies as the composition root gives them, and the
// application layer's (app/), fixed once when the router is built: the notifier for verification
// codes (the log notifier by default, which never logs their text), this instance's public
// limits, and the deployment secret the JSON API uses too (the token key's), so a client is the
// same client, and a code sent through one edge verifies through the other.

export type WebDeps = AppDeps & { authKey?: { secret: Uint8Array } };

export interface Web {
  deps: WebDeps;
  /** The application layer's dependencies: every page calls app/ with these. */
  app: AppDeps;
  /** The engine's dependencies for the staff pages. */
  decisions: AppDeps;
  limits: PublicLimits;
  log: (entry: Record<string, unknown>) => void;
}

export function webOf(deps: WebDeps): Web {
  const app = withPublicDefaults<AppDeps>({
    ...deps,
    notifier: deps.notifier ?? logNotifier,
    ...(deps.authKey ? { secret: deps.authKey.secret } : {}),
  });
  return {
    deps,
    app,
    decisions: { prisma: deps.prisma, temporal: deps.temporal, templates: deps.templates, taskQueue: deps.taskQueue },
    limits: app.publicLimits!,
    log: deps.log ?? ((e) => process.stderr.write(JSON.stringify(e) + '\n')),
  };
}
