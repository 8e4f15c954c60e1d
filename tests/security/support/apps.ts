import type { Express } from 'express';
import { createApp, type AppDeps } from '../../../server/app';
import { fromRoot } from '../../../lib/paths';
import { loadTemplates } from '../../../lib/templates';
import type { Stack } from '../../support/stack';

// Another app on the stack's database, Temporal and key, built under some environment variables
// (read once, when the app is built) and with its own limits and log.

export function appWith(stack: Stack, env: Record<string, string> = {}, more: Partial<AppDeps> = {}): Express {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const templates = loadTemplates([fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')]);
    return createApp({
      prisma: stack.prisma,
      temporal: stack.client,
      templates,
      authKey: stack.key,
      taskQueue: stack.taskQueue,
      log: () => undefined,
      ...more,
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
