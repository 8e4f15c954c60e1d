import * as fs from 'node:fs';
import request from 'supertest';
import { fromRoot } from '../../../lib/paths';
import { DECISION_FIELDS, OPINION_FIELDS } from '../../../web/feeds/open-data';
import { ApiDriver } from '../../support/api-driver';
import { givePasswords, openForComment, signedIn, unique } from '../../support/portal';
import { startStack, type Stack } from '../../support/stack';
import { SHORT_WINDOW, STACK_HOOK_MS } from '../../support/wait';

// The public portal over HTTP: every value escaped, Chinese by default and English on request,
// surveys answered on the page and aggregated once frozen, hearing registration only while it
// is open (page and API alike), and the open data and Atom feed with their documented fields.

let stack: Stack;
let api: ApiDriver;
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  await givePasswords(stack, ['official-zhang']);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

it('escapes every value it shows: titles, drafts and opinions, in pages and in the feed', async () => {
  const id = await openForComment(api, 'pub-xss', {
    title: `Fares ${XSS} & "quotes"`,
    draft: { text: `Article 1. ${XSS}\n\nArticle 2.`, explanation: XSS },
  });
  const receipt = (await request(stack.app).post(`/api/decisions/${id}/opinions`).send({ text: XSS })).body.receipt;
  for (const path of [
    '/',
    `/decisions/${id}`,
    `/decisions/${id}/comment`,
    `/decisions/${id}/record`,
    `/receipts/${receipt}`,
    '/feeds/decisions.atom',
  ]) {
    const res = await request(stack.app).get(path);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  }
  const atom = await request(stack.app).get('/feeds/decisions.atom');
  expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
  expect(atom.text).toMatch(
    /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
  );
  expect(atom.text).toContain(`:decision:${id}</id>`);
});

it('is in Simplified Chinese by default and in English on request, remembered by a cookie', async () => {
  const zh = await request(stack.app).get('/');
  expect(zh.text).toContain('<html lang="zh-CN">');
  expect(zh.text).toContain('跳到主要内容');
  expect(zh.text).toContain('href="/?lang=en"');
  const en = await request(stack.app).get('/?lang=en');
  expect(en.text).toContain('<html lang="en">');
  expect(en.text).toContain('Skip to main content');
  const cookie = (en.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('dp_lang='))!;
  expect(cookie).toMatch(/SameSite=Lax/);
  const again = await request(stack.app).get('/receipts').set('Cookie', cookie.split(';')[0]);
  expect(again.text).toContain('<html lang="en">');
  expect(again.text).toContain('href="/receipts?lang=zh-CN"');
});

it('takes survey answers on the page during the window and publishes the aggregate of the frozen set', async () => {
  const id = await openForComment(api, 'pub-survey', { flags: { livelihood: true } });
  const questions = [
    { id: 'support', text: 'Do you support it?', kind: 'single-choice', options: ['yes', 'no'] },
    { id: 'topics', text: 'What matters?', kind: 'multiple-choice', options: ['fares', 'routes', 'hours'] },
    { id: 'why', text: 'Why?', kind: 'text' },
  ];
  expect((await api.act(id, 'official-zhang', 'open-survey', { questions, surveyWindow: SHORT_WINDOW })).status).toBe(
    200,
  );
  const form = await request(stack.app).get(`/decisions/${id}/survey?lang=en`);
  expect(form.text).toContain('<legend>Do you support it?</legend>');
  const post = (body: string) => request(stack.app).post(`/decisions/${id}/survey`).type('form').send(body);
  expect((await post('answers.support=yes&answers.topics=fares&answers.topics=hours&answers.why=Cheaper')).status).toBe(
    303,
  );
  expect((await post('answers.support=no&answers.topics=fares')).status).toBe(303);
  expect((await post('answers.support=maybe')).status).toBe(400);
  expect((await request(stack.app).get(`/api/public/decisions/${id}/survey-results`)).status).toBe(409);
  await api.waitFor(id, (d) => d.windows.find((w: any) => w.kind === 'survey')?.frozen);
  const results = (await request(stack.app).get(`/api/public/decisions/${id}/survey-results`)).body.results;
  expect(results.respondents).toBe(2);
  expect(results.frozen.count).toBe(2);
  expect(results.questions[0].options).toEqual([
    { option: 'yes', count: 1 },
    { option: 'no', count: 1 },
  ]);
  expect(results.questions[1].options).toEqual([
    { option: 'fares', count: 2 },
    { option: 'routes', count: 0 },
    { option: 'hours', count: 1 },
  ]);
  const page = await request(stack.app).get(`/decisions/${id}/survey?lang=en`);
  expect(page.text).toContain('2 people answered.');
  expect(page.text).not.toContain('Cheaper');
});

it('registers for a hearing only while registration is open, on the page and through the API', async () => {
  const id = await openForComment(api, 'pub-hearing', { flags: { hearingRequired: true } });
  const page = await request(stack.app).get(`/decisions/${id}/hearing?lang=en`);
  expect(page.text).toContain('Register for the hearing');
  const reg = await request(stack.app)
    .post(`/decisions/${id}/hearing`)
    .type('form')
    .send({
      name: 'Ma Li',
      contact: 'ma@example.org',
      represents: 'commuters',
      statement: '',
      clientKey: unique('hk'),
    });
  expect(reg.status).toBe(303);
  expect(reg.headers.location).toMatch(/registered=HR-/);
  const viaApi = await request(stack.app)
    .post(`/api/decisions/${id}/hearing-registrations`)
    .send({ name: 'Hu Gang', contact: '0451-1234567', represents: 'bus operators' });
  expect(viaApi.status).toBe(201);
  expect(await stack.prisma.hearingRegistration.count({ where: { decisionId: id } })).toBe(2);
  expect((await request(stack.app).get(`/decisions/${id}/hearing`)).text).not.toContain('ma@example.org');
  // Staff choose participants among those registered, on the hearing notice form.
  const official = await signedIn(stack.app, 'official-zhang');
  const notice = await official.get(`/staff/decisions/${id}/actions/schedule-hearing`);
  expect(notice.text).toContain('ma@example.org');
  expect(notice.text).toContain('bus operators');

  const none = await openForComment(api, 'pub-no-hearing');
  const refused = await request(stack.app)
    .post(`/api/decisions/${none}/hearing-registrations`)
    .send({ name: 'X', contact: 'x', represents: 'y' });
  expect({ status: refused.status, code: refused.body.error.code }).toEqual({
    status: 409,
    code: 'REGISTRATION_CLOSED',
  });
  expect(await stack.prisma.hearingRegistration.count({ where: { decisionId: none } })).toBe(0);
});

it('publishes open data as JSON and CSV with exactly the documented fields, and no personal data', async () => {
  const id = await openForComment(api, 'pub-open-data', {}, { seconds: 3 });
  await request(stack.app)
    .post(`/api/decisions/${id}/opinions`)
    .send({ text: 'Open data opinion.', name: 'Wang Secret', contact: 'secret@example.org' });
  const doc = fs.readFileSync(fromRoot('docs', 'open-data.md'), 'utf8');
  for (const f of [...DECISION_FIELDS, ...OPINION_FIELDS]) expect(doc).toContain(`\`${f}\``);
  const json = (await request(stack.app).get('/open-data/decisions.json')).body;
  expect(json.fields).toEqual([...DECISION_FIELDS]);
  const mine = json.records.find((r: any) => r.id === id);
  expect(Object.keys(mine)).toEqual([...DECISION_FIELDS]);
  expect(mine).toMatchObject({
    opinions_received: 1,
    opinions_pending: 1,
    status: 'in-procedure',
    current_stage: 'public-participation',
  });
  const csv = await request(stack.app).get('/open-data/opinions.csv');
  expect(csv.headers['content-type']).toMatch(/text\/csv/);
  expect(csv.text.split('\r\n')[0]).toBe(OPINION_FIELDS.join(','));
  // The text is published once the window has closed (docs/authority.md, the visibility rule).
  expect(csv.text).not.toContain('Open data opinion.');
  await api.waitFor(id, (d) => !!d.windows[0].frozen);
  const after = await request(stack.app).get('/open-data/opinions.csv');
  expect(after.text).toContain('Open data opinion.');
  expect(after.text).not.toMatch(/Wang Secret|secret@example/);
  expect((await request(stack.app).get('/open-data/decisions.xml')).status).toBe(404);
}, 60_000);
