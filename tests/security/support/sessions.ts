import request from 'supertest';
import { hashPassword } from '../../../lib/passwords';
import type { Stack } from '../../support/stack';
import { csrfOf, TEST_PASSWORD } from '../../support/portal';

// Workspace sessions for the matrix: the staff pages sign in with a session cookie (not a bearer
// token) and every form POST carries the session's CSRF token. Each person signs in through the
// real sign-in form (POST /staff/login), as a browser would.

export interface Session {
  cookie: string;
  csrf: string;
}

const cookieFrom = (res: request.Response, name: string): string | undefined => {
  const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  for (const c of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m && m[1]) return decodeURIComponent(m[1]);
  }
  return undefined;
};

/** Gives every person the test password (one hash, computed once: argon2 is slow on purpose). */
export async function givePasswordsFast(stack: Stack, userIds: string[]): Promise<void> {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  for (const userId of userIds) {
    await stack.prisma.staffCredential.upsert({
      where: { userId },
      create: { userId, passwordHash },
      update: { passwordHash, updatedAt: new Date() },
    });
  }
}

/** Signs in through the form; the answer's status when no session came of it. */
export async function signIn(stack: Stack, userId: string): Promise<{ session: Session } | { status: number }> {
  const form = await request(stack.app).get('/staff/login');
  const login = cookieFrom(form, 'dp_login');
  const res = await request(stack.app)
    .post('/staff/login')
    .set('Cookie', `dp_login=${login ?? ''}`)
    .type('form')
    .send({ _csrf: csrfOf(form.text), userId, password: TEST_PASSWORD, next: '/staff' });
  const token = cookieFrom(res, 'dp_session');
  if (res.status !== 303 || !token) return { status: res.status };
  const cookie = `dp_session=${encodeURIComponent(token)}`;
  // The CSRF token is printed in every staff page's frame (the sign-out form).
  const page = await request(stack.app).get('/staff/integrity').set('Cookie', cookie);
  let csrf = csrfOf(page.text);
  if (!csrf) {
    const home = await request(stack.app).get('/staff').set('Cookie', cookie);
    csrf = csrfOf(home.text);
  }
  if (!csrf) throw new Error(`signed in as ${userId}, but no staff page showed the CSRF token (${page.status})`);
  return { session: { cookie, csrf } };
}
