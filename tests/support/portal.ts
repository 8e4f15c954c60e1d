import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import type { Notifier } from '../../lib/notifier';
import { setPassword } from '../../lib/passwords';
import { loadTemplates } from '../../lib/templates';
import { fromRoot } from '../../lib/paths';
import type { ApiDriver } from './api-driver';
import type { Stack } from './stack';

// Helpers for the portal and workspace tests: staff passwords, decisions opened for comment, a
// second app on the same database (shared rate limits), and a cookie-keeping client that signs in
// and reads the CSRF token of each form it is shown.

export const TEST_PASSWORD = 'correct horse battery staple';

export async function givePasswords(stack: Stack, userIds: string[]): Promise<void> {
  for (const id of userIds) await setPassword(stack.prisma, id, TEST_PASSWORD);
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const TWO_PARAGRAPHS = 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay half.';

/** A decision whose draft is pre-disclosed, its comment window open for `window` (`predisclose`: more of that action's body). */
export async function openForComment(
  api: ApiDriver,
  prefix: string,
  extra: Record<string, unknown> = {},
  window: Record<string, number> = { days: 30 },
  predisclose: Record<string, unknown> = {},
): Promise<string> {
  const created = await api.create({ id: unique(prefix), ...extra });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.result.id as string;
  const res = await api.act(
    id,
    'official-zhang',
    'predisclose',
    api.body('predisclose', 1, { commentWindow: window, ...predisclose }),
  );
  if (res.status !== 200) throw new Error(`predisclose: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

/** Another app on the same stack (same database and Temporal), with its own notifier and templates. */
export function secondApp(stack: Stack, opts: { notifier?: Notifier; templatesDirs?: string[] } = {}): Express {
  const deps = {
    prisma: stack.prisma,
    temporal: stack.client,
    templates: loadTemplates(opts.templatesDirs ?? [fromRoot('templates'), fromRoot('tests', 'fixtures', 'templates')]),
    authKey: stack.key,
    taskQueue: stack.taskQueue,
    log: () => undefined,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
  };
  return createApp(deps);
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export async function signedIn(app: Express, userId: string, password = TEST_PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get('/staff/login');
  const res = await agent
    .post('/staff/login')
    .type('form')
    .send({ _csrf: csrfOf(page.text), userId, password, next: '/staff' });
  if (res.status !== 303) throw new Error(`sign-in of ${userId} failed: ${res.status}`);
  return agent;
}
