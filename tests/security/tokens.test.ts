import { createHmac } from 'node:crypto';
import { SignJWT, generateKeyPair, exportJWK } from 'jose';
import request from 'supertest';
import { authKey, issueToken } from '../../api/auth';
import { asOwner } from '../support/owner';
import { startStack, type Stack } from '../support/stack';
import { STACK_HOOK_MS } from '../support/wait';

// Bearer tokens (issue 5): only an HS256 token signed with the API's secret, for this issuer and
// audience, unexpired, naming an active person in the directory, gets in. Expired, tampered,
// unsigned (alg none), other-algorithm (HS512, RS256, an RS256 header over an HMAC signature),
// foreign-issuer and misplaced tokens are refused with 401 in the error envelope.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
}, STACK_HOOK_MS);
afterAll(() => stack?.stop(), STACK_HOOK_MS);

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  sub: 'supervisor-lin',
  name: 'Lin Hui',
  iss: 'dueprocess',
  aud: 'dueprocess-api',
  iat: now(),
  exp: now() + 600,
  ...over,
});
/** A JWT with any header, signed with HMAC-SHA256 over the secret (whatever the header says). */
const hmacToken = (header: Record<string, unknown>, body: Record<string, unknown>, hash = 'sha256') => {
  const input = `${b64(header)}.${b64(body)}`;
  return `${input}.${createHmac(hash, Buffer.from(stack.key.secret)).update(input).digest('base64url')}`;
};

async function status(token: string | null, header = 'Authorization'): Promise<{ status: number; code?: string }> {
  let req = request(stack.app).get('/api/decisions?limit=1');
  if (token !== null) req = req.set(header, header === 'Authorization' ? `Bearer ${token}` : token);
  const res = await req;
  if (res.status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  return { status: res.status, code: res.body?.error?.code };
}

const refused = { status: 401, code: 'UNAUTHENTICATED' };

it('accepts the genuine article (the control for every refusal below)', async () => {
  expect(await status(await stack.token('supervisor-lin'))).toEqual({ status: 200, code: undefined });
  expect(await status(hmacToken({ alg: 'HS256', typ: 'JWT' }, claims()))).toEqual({ status: 200, code: undefined });
});

it('refuses an expired token with 401 TOKEN_EXPIRED, and one not valid yet', async () => {
  expect(await status(await issueToken(stack.key, { sub: 'supervisor-lin', name: 'Lin Hui' }, '-5s'))).toEqual({
    status: 401,
    code: 'TOKEN_EXPIRED',
  });
  expect(await status(hmacToken({ alg: 'HS256' }, claims({ exp: now() - 1 })))).toEqual({
    status: 401,
    code: 'TOKEN_EXPIRED',
  });
  expect(await status(hmacToken({ alg: 'HS256' }, claims({ nbf: now() + 600 })))).toEqual(refused);
});

it('refuses tampered tokens: changed claims, changed or stripped signature', async () => {
  const [h, p, s] = (await stack.token('expert-li')).split('.');
  const promoted = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'supervisor-lin' });
  expect(await status(`${h}.${promoted}.${s}`)).toEqual(refused);
  expect(await status(`${h}.${p}.${s.slice(0, -3)}${s.endsWith('AAA') ? 'BBB' : 'AAA'}`)).toEqual(refused);
  expect(await status(`${h}.${p}.`)).toEqual(refused);
  expect(await status(`${h}.${p}`)).toEqual(refused);
});

it('refuses unsigned tokens (alg none, in any spelling)', async () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE'])
    expect(await status(`${b64({ alg, typ: 'JWT' })}.${b64(claims())}.`)).toEqual(refused);
});

it('refuses other algorithms: HS512 and HS384 with the right secret, RS256, and an RS256 header over an HMAC signature', async () => {
  expect(await status(hmacToken({ alg: 'HS512' }, claims(), 'sha512'))).toEqual(refused);
  expect(await status(hmacToken({ alg: 'HS384' }, claims(), 'sha384'))).toEqual(refused);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const rs256 = await new SignJWT({ name: 'Lin Hui' })
    .setProtectedHeader({ alg: 'RS256', jwk: await exportJWK(publicKey) })
    .setSubject('supervisor-lin')
    .setIssuer('dueprocess')
    .setAudience('dueprocess-api')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  expect(await status(rs256)).toEqual(refused);
  // Key confusion: the header claims RS256, the signature is an HMAC over the shared secret.
  expect(await status(hmacToken({ alg: 'RS256' }, claims()))).toEqual(refused);
});

it('refuses tokens of another issuer, another audience, another secret, or with missing claims', async () => {
  expect(await status(hmacToken({ alg: 'HS256' }, claims({ iss: 'someone-else' })))).toEqual(refused);
  expect(await status(hmacToken({ alg: 'HS256' }, claims({ aud: 'another-api' })))).toEqual(refused);
  const { exp: _e, ...noExp } = claims();
  expect(await status(hmacToken({ alg: 'HS256' }, noExp))).toEqual(refused);
  const { sub: _s, ...noSub } = claims();
  expect(await status(hmacToken({ alg: 'HS256' }, noSub))).toEqual(refused);
  expect(await status(await issueToken(authKey('x'.repeat(40)), { sub: 'supervisor-lin', name: 'Lin Hui' }))).toEqual(
    refused,
  );
  expect(await status(hmacToken({ alg: 'HS256' }, claims({ sub: 'nobody-in-the-directory' })))).toEqual(refused);
});

it('refuses a token sent anywhere but the Authorization header, or under another scheme', async () => {
  const token = await stack.token('supervisor-lin');
  expect((await request(stack.app).get(`/api/decisions?access_token=${token}`)).status).toBe(401);
  expect(await status(`token=${token}`, 'Cookie')).toEqual(refused);
  const basic = await request(stack.app)
    .get('/api/decisions')
    .set('Authorization', `Basic ${b64(`supervisor-lin:${token}`)}`);
  expect({ status: basic.status, code: basic.body.error.code }).toEqual(refused);
  expect(await status(`${token} ${token}`)).toEqual(refused);
});

it('refuses the token of a person who has left the directory, at once', async () => {
  const token = await stack.addStaff({
    id: `leaver-${Date.now()}`,
    name: 'Leaver',
    organId: 'harbin-gov',
    roles: ['supervisor'],
  });
  expect(await status(token)).toEqual({ status: 200, code: undefined });
  const sub = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
  // An administrator's change to the directory: the runtime role may not update staff_user.
  await asOwner((c) => c.query('UPDATE staff_user SET active = false WHERE id = $1', [sub]));
  expect(await status(token)).toEqual(refused);
});
