import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { ApiDriver } from '../support/api-driver';
import { openForComment, unique } from '../support/portal';
import { startStack, type Stack } from '../support/stack';
import { appWith } from './support/apps';

// The portal's forms take posts from this site only (issue 9). The review found that a page on
// any origin could post a comment, a survey answer or a hearing registration on a visitor's
// behalf. A POST to a page whose Origin (or, without one, Referer) is not this site — the
// request's own scheme and Host, or DUEPROCESS_PUBLIC_ORIGIN — is refused 403 with a bilingual
// page and stores nothing; the JSON API is left to CORS.

process.env.DUEPROCESS_PUBLIC_RATE_LIMIT ??= 'off';
process.env.DUEPROCESS_PUBLIC_RATE_LIMIT_TOTAL ??= 'off';

const EVIL = 'https://evil.example.com';

let stack: Stack;
let api: ApiDriver;
let server: Server;
let site: string;
const logged: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  stack = await startStack();
  api = new ApiDriver(stack);
  const app = appWith(stack, {}, { log: (e) => logged.push(e) });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

const opinions = (decisionId: string) => stack.prisma.opinion.count({ where: { decisionId } });
const comment = (target: Express | string, id: string, headers: Record<string, string>) =>
  request(target)
    .post(`/decisions/${id}/comment`)
    .set(headers)
    .type('form')
    .send({ text: 'Keep the night buses.', paragraph: '' });

function expectRefusedPage(res: request.Response): void {
  expect(res.status).toBe(403);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toContain('此表单来自其他网站，未被接受，也没有保存任何内容');
  expect(res.text).toContain('This form was sent from another website, so it was not accepted and nothing was stored');
  expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
}

it('refuses a comment form posted from another origin, stores nothing, and accepts one from this site', async () => {
  const id = await openForComment(api, 'origin-comment');
  logged.length = 0;
  expectRefusedPage(await comment(site, id, { Origin: EVIL }));
  expectRefusedPage(await comment(site, id, { Referer: `${EVIL}/campaign.html` })); // no Origin: the Referer says where
  expectRefusedPage(await comment(site, id, { Origin: 'null' })); // a sandboxed or referrer-less document
  expectRefusedPage(await comment(site, id, { Origin: site.replace('127.0.0.1', 'localhost') })); // same address, other origin
  expect(await opinions(id)).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const events = logged.filter((e) => e.stream === 'security');
  expect(events).toHaveLength(4);
  expect(events[0]).toMatchObject({ event: 'forbidden', status: 403, code: 'CROSS_ORIGIN_FORM', method: 'POST' });
  expect(JSON.stringify(events)).not.toContain('evil');

  const ok = await comment(site, id, { Origin: site, Referer: `${site}/decisions/${id}/comment` });
  expect(ok.status).toBe(303);
  expect(await opinions(id)).toBe(1);
  // A request that names no origin at all is no browser's form post (tools, scripts): it passes.
  expect((await comment(site, id, {})).status).toBe(303);
  expect(await opinions(id)).toBe(2);
});

it('guards the survey and hearing registration forms too, but leaves the JSON API to CORS', async () => {
  const id = await openForComment(api, 'origin-forms', { flags: { livelihood: true } });
  for (const path of [`/decisions/${id}/survey`, `/decisions/${id}/hearing`, '/staff/login']) {
    expectRefusedPage(
      await request(site)
        .post(path)
        .set('Origin', EVIL)
        .type('form')
        .send({ name: 'Ma Li', contact: 'ma@example.org', clientKey: unique('k') }),
    );
  }
  expect(await stack.prisma.surveyAnswer.count({ where: { decisionId: id } })).toBe(0);
  expect(await stack.prisma.hearingRegistration.count({ where: { decisionId: id } })).toBe(0);
  // A JSON post cannot leave a browser cross-origin without a preflight, which CORS refuses.
  const json = await request(site)
    .post(`/api/decisions/${id}/opinions`)
    .set('Origin', EVIL)
    .send({ text: 'Through the API.' });
  expect(json.status).toBe(201);
  expect(json.headers['access-control-allow-origin']).toBeUndefined();
  const preflight = await request(site)
    .options(`/api/decisions/${id}/opinions`)
    .set('Origin', EVIL)
    .set('Access-Control-Request-Method', 'POST');
  expect(preflight.status).toBe(403);
});

it('trusts the configured public origin instead of the Host when DUEPROCESS_PUBLIC_ORIGIN is set', async () => {
  const id = await openForComment(api, 'origin-configured');
  const app = appWith(stack, { DUEPROCESS_PUBLIC_ORIGIN: 'https://portal.example.gov.cn, https://www.example.gov.cn' });
  expectRefusedPage(await comment(app, id, { Origin: EVIL }));
  expect((await comment(app, id, { Origin: 'https://www.example.gov.cn' })).status).toBe(303);
  expect(await opinions(id)).toBe(1);
  expect(() => appWith(stack, { DUEPROCESS_PUBLIC_ORIGIN: 'https://portal.example.gov.cn/path' })).toThrow(
    /invalid configuration:[\s\S]*DUEPROCESS_PUBLIC_ORIGIN/,
  );
});
