import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { demoActor } from '../../prisma/demo';
import { moderate } from '../../lib/moderation';
import { fullProcedure } from '../support/scenarios';
import { openForComment, unique } from '../support/portal';
import { LANGS, startPortal, type Portal } from './support';
import { STACK_HOOK_MS } from '../support/wait';

// axe-core (WCAG 2.1 A and AA rules) on every public page template, in both languages: no
// serious or critical violation. The pages are filled with real content first: an open
// consultation with a survey, a hearing open for registration and a campaign; and a decision
// taken through its whole procedure to entry into force, with a hidden opinion.

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let portal: Portal;
const pages: Array<{ name: string; path: string; prepare?: (page: Page) => Promise<void> }> = [];

beforeAll(async () => {
  portal = await startPortal();
  const { api, stack } = portal;
  const open = await openForComment(api, 'a11y-open', { flags: { livelihood: true, hearingRequired: true } });
  const survey = await api.act(open, 'official-zhang', 'open-survey', {
    ...api.body('open-survey', 1),
    surveyWindow: { days: 30 },
  });
  expect(survey.status).toBe(200);
  let receipt = '';
  for (let i = 0; i < 3; i++)
    receipt = (
      await request(stack.app)
        .post(`/api/decisions/${open}/opinions`)
        .send({ text: 'Same words, sent by many.', paragraph: 1 })
    ).body.receipt;

  const done = unique('a11y-done');
  await fullProcedure(api, done);
  const opinion = await stack.prisma.opinion.findFirst({ where: { decisionId: done } });
  await moderate(stack.prisma, demoActor('supervisor-lin'), opinion!.id, 'hide', 'Contains a telephone number');

  pages.push(
    { name: 'catalog', path: '/' },
    { name: 'pre-disclosure', path: `/decisions/${open}` },
    { name: 'opinion form', path: `/decisions/${open}/comment?paragraph=1` },
    {
      name: 'opinion form with errors',
      path: `/decisions/${open}/comment`,
      prepare: (p) => p.locator('main form button[value=submit]').click(),
    },
    { name: 'receipt look-up', path: '/receipts' },
    { name: 'receipt', path: `/receipts/${receipt}` },
    { name: 'receipt not found', path: '/receipts?number=OP-AAAAA-AAAAA' },
    { name: 'opinions during the window', path: `/decisions/${open}/opinions` },
    { name: 'opinions and their handling', path: `/decisions/${done}/opinions` },
    { name: 'survey form', path: `/decisions/${open}/survey` },
    { name: 'survey results', path: `/decisions/${done}/survey` },
    { name: 'hearing registration', path: `/decisions/${open}/hearing` },
    { name: 'hearing notice and signed record', path: `/decisions/${done}/hearing` },
    { name: 'published decision with its procedure record', path: `/decisions/${done}/record` },
    { name: 'open data', path: '/open-data' },
    { name: 'not found', path: '/decisions/no-such-decision' },
    { name: 'staff sign-in', path: '/staff/login' },
  );
}, STACK_HOOK_MS);
afterAll(() => portal?.stop(), STACK_HOOK_MS);

async function seriousViolations(page: Page) {
  await page.evaluate(AXE);
  const result: { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> } =
    await page.evaluate(() => {
      const g = globalThis as any;
      return g.axe.run(g.document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
    });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.each(LANGS)('public pages in %s', (lang) => {
  it('pass axe-core with no serious or critical violation, and say which language they are in', async () => {
    const page = await portal.page(lang, { bypassCSP: true });
    const failures: Record<string, string[]> = {};
    for (const p of pages) {
      const res = await page.goto(p.path);
      expect(res).not.toBeNull();
      if (p.prepare) await p.prepare(page);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.locator('main#main h1').count()).toBe(1);
      const v = await seriousViolations(page);
      if (v.length) failures[p.name] = v;
    }
    expect(failures).toEqual({});
  });
});
