import type { AppDeps } from '../server/app';
import { publicServices } from '../api/public/router';
import type { PublicServices } from '../api/public/submission';
import { logNotifier } from '../lib/notifier';

// What the pages need: the app's dependencies, the notifier for verification codes (the app may
// be given one; by default codes go to the log notifier, which never logs their text), and the
// public submission services shared with the JSON API.

export type WebDeps = AppDeps;

export interface Web {
  deps: WebDeps;
  services: PublicServices;
  log: (entry: Record<string, unknown>) => void;
}

export function webOf(deps: WebDeps): Web {
  return {
    deps,
    services: publicServices({ ...deps, notifier: deps.notifier ?? logNotifier }),
    log: deps.log ?? ((e) => process.stderr.write(JSON.stringify(e) + '\n')),
  };
}
