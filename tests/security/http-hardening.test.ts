import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { ApiDriver } from '../support/api-driver';
import { startStack, type Stack } from '../support/stack';
import { appWith } from './support/apps';
import { STACK_HOOK_MS } from '../support/wait';

// HTTP hardening (issues 5 and 9): security headers on every answer (helmet), HSTS only over https, no CORS
// unless the origin is listed, and the 1 MB JSON body limit — declared, chunked or compressed —
// answered 413 in the error envelope. Malformed requests are 4xx, never 5xx.

let stack: Stack;
let api: ApiDriver;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  api = new ApiDriver(stack);
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const PORTAL = 'https://portal.example.gov.cn';
const EVIL = 'https://evil.example.com';

function expectSecurityHeaders(res: request.Response): void {
  const h = res.headers;
  expect(h['content-security-policy']).toMatch(/default-src 'self'/);
  expect(h['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(h['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['x-content-type-options']).toBe('nosniff');
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with the site's own form posts (issue 9).
  expect(h['referrer-policy']).toBe('same-origin');
  expect(h['content-security-policy']).toMatch(/base-uri 'none'/);
  expect(h['content-security-policy']).toMatch(/object-src 'none'/);
  expect(h['content-security-policy']).toMatch(/form-action 'self'/);
  expect(h['x-permitted-cross-domain-policies']).toBe('none');
  expect(h['cache-control']).toBe('no-store');
  expect(h['permissions-policy']).toMatch(/camera=\(\)/);
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cross-origin-resource-policy']).toBe('same-origin');
  expect(h['x-powered-by']).toBeUndefined();
  expect(h['access-control-allow-origin']).toBeUndefined();
}

describe('security headers', () => {
  it('are set on successes, refusals and unknown routes, API and pages alike', async () => {
    const responses = [
      await request(stack.app).get('/api/templates'),
      await request(stack.app).get('/healthz'),
      await request(stack.app).get('/api/decisions'),
      await request(stack.app)
        .get('/api/decisions')
        .set(await api.as('entity-harbin-bus')),
      await request(stack.app).get('/api/no-such-route'),
      await request(stack.app)
        .post('/api/decisions/x/opinions')
        .set('Content-Type', 'application/json')
        .send('{"text":'),
      await request(stack.app).get('/'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 403, 404, 400, expect.any(Number)]);
    responses.forEach(expectSecurityHeaders);
  });

  it('names the bearer scheme on a 401 (RFC 6750)', async () => {
    const res = await request(stack.app).get('/api/decisions');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="dueprocess"/);
  });

  it('sends HSTS only when the request came over https, through a trusted proxy', async () => {
    const plain = await request(stack.app).get('/api/templates').set('X-Forwarded-Proto', 'https');
    expect(plain.headers['strict-transport-security']).toBeUndefined(); // no proxy trusted: the header is ignored
    const proxied = appWith(stack, { DUEPROCESS_TRUST_PROXY: 'loopback' });
    const https = await request(proxied).get('/api/templates').set('X-Forwarded-Proto', 'https');
    expect(https.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains$/);
    expect((await request(proxied).get('/api/templates')).headers['strict-transport-security']).toBeUndefined();
  });

  it('escapes <, > and & in every JSON answer', async () => {
    const res = await request(stack.app)
      .get('/api/decisions/%3Cscript%3E')
      .set(await api.as('supervisor-lin'));
    expect(res.status).toBe(404);
    expect(res.text).toContain('\\u003cscript\\u003e');
    expect(res.body.error.message).toContain('<script>');
  });
});

describe('CORS', () => {
  it('allows no cross-origin reads by default, and refuses every preflight', async () => {
    const get = await request(stack.app).get('/api/templates').set('Origin', PORTAL);
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await request(stack.app)
      .options('/api/decisions')
      .set('Origin', PORTAL)
      .set('Access-Control-Request-Method', 'POST');
    expect({ status: pre.status, code: pre.body.error?.code }).toEqual({
      status: 403,
      code: 'CORS_ORIGIN_NOT_ALLOWED',
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('allows the listed origins only, without credentials, and answers their preflights', async () => {
    const app = appWith(stack, { DUEPROCESS_CORS_ORIGINS: `${PORTAL}, http://localhost:5173` });
    const get = await request(app).get('/api/templates').set('Origin', PORTAL);
    expect(get.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    expect(get.headers.vary).toMatch(/Origin/);
    expect(get.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    const pre = await request(app)
      .options('/api/decisions/x/actions/predisclose')
      .set('Origin', PORTAL)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, POST, PUT');
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization.*Idempotency-Key/);
    for (const origin of [EVIL, 'null', `${PORTAL}.evil.example.com`, 'http://portal.example.gov.cn']) {
      const denied = await request(app)
        .options('/api/decisions')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');
      expect({ origin, status: denied.status, acao: denied.headers['access-control-allow-origin'] }).toEqual({
        origin,
        status: 403,
        acao: undefined,
      });
      const read = await request(app).get('/api/templates').set('Origin', origin);
      expect({ origin, acao: read.headers['access-control-allow-origin'], vary: read.headers.vary }).toEqual({
        origin,
        acao: undefined,
        vary: expect.stringMatching(/Origin/),
      });
    }
  });

  it('refuses to boot with an origin that is not scheme://host[:port]', () => {
    expect(() => appWith(stack, { DUEPROCESS_CORS_ORIGINS: 'https://portal.example.gov.cn/path' })).toThrow(
      /invalid configuration:[\s\S]*DUEPROCESS_CORS_ORIGINS/,
    );
    expect(() => appWith(stack, { DUEPROCESS_CORS_ORIGINS: '*' })).toThrow(/invalid configuration/);
  });
});

/** Sends raw bytes with the headers given (chunked when no Content-Length), over a real socket. */
async function raw(headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: any }> {
  const server = stack.app.listen(0);
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = http.request(
        {
          port,
          method: 'POST',
          path: '/api/decisions/x/opinions',
          headers: { 'Content-Type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
        },
      );
      req.on('error', (e) =>
        (e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET'
          ? undefined
          : reject(e),
      );
      for (const c of chunks) req.write(c);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe('body size limit (1 MB of JSON)', () => {
  const big = Buffer.from(JSON.stringify({ text: 'x'.repeat(1_100_000) }));

  it('refuses a declared body over 1 MB with 413 BODY_TOO_LARGE, before reading it', async () => {
    const res = await request(stack.app)
      .post('/api/decisions/x/opinions')
      .send({ text: 'x'.repeat(1_100_000) });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 413, code: 'BODY_TOO_LARGE' });
    expect(res.headers.connection).toBe('close');
  });

  it('refuses a chunked body that grows over 1 MB, and a compressed one that inflates over it', async () => {
    const chunked = await raw({}, [big.subarray(0, 600_000), big.subarray(600_000)]);
    expect({ status: chunked.status, code: chunked.body?.error?.code }).toEqual({
      status: 413,
      code: 'BODY_TOO_LARGE',
    });
    const bomb = await raw({ 'Content-Encoding': 'gzip' }, [
      gzipSync(Buffer.from(JSON.stringify({ text: ' '.repeat(20_000_000) }))),
    ]);
    expect({ status: bomb.status, code: bomb.body?.error?.code }).toEqual({ status: 413, code: 'BODY_TOO_LARGE' });
  });

  it('accepts a body under the limit as far as the body limit goes', async () => {
    const res = await request(stack.app)
      .post('/api/decisions/x/opinions')
      .send({ text: 'x'.repeat(900_000) });
    expect(res.status).toBe(400); // the opinion is too long for its schema, not for the body limit
  });

  it('answers malformed requests with 4xx in the envelope, never 5xx', async () => {
    const cases = [
      await request(stack.app)
        .post('/api/decisions/x/opinions')
        .set('Content-Type', 'application/json; charset=iso-8859-1')
        .send('{"text":"a"}'),
      await request(stack.app)
        .post('/api/decisions/x/opinions')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'br-unknown')
        .send('{"text":"a"}'),
      await request(stack.app).post('/api/decisions/x/opinions').set('Content-Type', 'text/plain').send('text=a'),
      await request(stack.app).get('/api/public/decisions/%E0%A4%A'),
      await request(stack.app).get('/api/public/decisions/a%00b'),
      await request(stack.app).get('/decisions/%E0%A4%A'),
      await request(stack.app).get('/receipts?number=%00'),
    ];
    expect(cases.map((r) => [r.status, r.body.error?.code])).toEqual([
      [415, 'UNSUPPORTED_CHARSET'],
      [415, 'UNSUPPORTED_ENCODING'],
      [400, 'INVALID_INPUT'],
      [400, 'INVALID_PATH'],
      [400, 'INVALID_PATH'],
      [400, 'INVALID_PATH'],
      [400, 'INVALID_PATH'],
    ]);
  });
});
