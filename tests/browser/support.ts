import * as fs from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ApiDriver } from '../support/api-driver';
import { givePasswords, TEST_PASSWORD } from '../support/portal';
import { startStack, type Stack } from '../support/stack';

// Browser journeys in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core;
// never a downloaded browser) against the real app listening on a free port, on the test stack.

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];

const CHROMIUM = process.env.DUEPROCESS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Portal {
  stack: Stack;
  api: ApiDriver;
  browser: Browser;
  base: string;
  /** A fresh browser context (own cookies) showing pages in `lang`. */
  page(lang: Lang, opts?: { bypassCSP?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

export async function startPortal(staff: string[] = []): Promise<Portal> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see TERRAIN.md; .ci/run installs it)`);
  const stack = await startStack();
  await givePasswords(stack, staff);
  const server = await new Promise<Server>((resolve) => {
    const s = stack.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    stack,
    api: new ApiDriver(stack),
    browser,
    base,
    async page(lang, opts = {}) {
      const context = await browser.newContext({ baseURL: base, locale: lang, bypassCSP: opts.bypassCSP ?? false });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(30_000); // per action: generous for Chromium on a busy two-core machine
      // The portal is Chinese by default; English is chosen once and remembered by a cookie.
      if (lang === 'en') await page.goto('/?lang=en');
      return page;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stack.stop();
    },
  };
}

export async function signIn(page: Page, userId: string): Promise<void> {
  await page.goto('/staff/login');
  await page.locator('#f-userId').fill(userId);
  await page.locator('#f-password').fill(TEST_PASSWORD);
  await page.locator('form[action="/staff/login"] button[type=submit]').click();
  await page.waitForURL(/\/staff(\?|$|\/)/);
}

/** Messages the pages must show, per language (the tests read the page as a user would). */
export const TEXT = {
  'zh-CN': {
    commentOnParagraph2: '对第 2 段提出意见',
    submitOpinion: '提交意见',
    problem: '请修改以下问题',
    received: '您的意见已收到',
    closed: '意见征集期限已届满，您的意见未被保存',
    partlyAdopted: '部分采纳',
    lookUp: '查询',
    recordDisposition: '记录处理结果',
    assignedToYou: '指派给您职位的事项',
    fileExpert: '提交签名的专家论证意见',
    recorded: '已记录',
    submitForDiscussion: '提交集体讨论',
    refused: '该操作被拒绝',
    legalityFirst: '须先通过合法性审查',
    legalBasis: '法律依据',
    remaining: '还剩',
  },
  en: {
    commentOnParagraph2: 'Comment on paragraph 2',
    submitOpinion: 'Submit opinion',
    problem: 'There is a problem',
    received: 'Your opinion was received',
    closed: 'The comment period has closed. Your opinion was not stored',
    partlyAdopted: 'Partly adopted',
    lookUp: 'Look up',
    recordDisposition: 'Record handling',
    assignedToYou: 'Assigned to your offices',
    fileExpert: 'File a signed expert opinion',
    recorded: 'Recorded',
    submitForDiscussion: 'Submit for collective discussion',
    refused: 'The action was refused',
    legalityFirst: 'Legality review must pass first',
    legalBasis: 'Legal basis',
    remaining: 'left',
  },
} as const;
