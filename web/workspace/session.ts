import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../../domain/procedure';
import { resolveActor } from '../../lib/directory';
import { checkPassword } from '../../lib/passwords';
import { markSecurity } from '../../lib/log';
import { beginLogin } from '../../lib/rate-limit';
import { publicSecret } from '../../app/public/client';
import { createSession, findSession, revokeSession, SESSION_HOURS, tokensMatch } from '../../lib/staff-sessions';
import { contextOf, type Ctx } from '../context';
import { clearCookie, readCookie, setCookie } from '../cookies';
import type { Web } from '../deps';
import { errorSummary, formValue, textField } from '../forms';
import { html } from '../html';
import { sendPage, type StaffFrame } from '../layout';

// Signing in to the staff workspace. The session cookie is HttpOnly, SameSite=Lax, Secure over
// HTTPS; every form POST carries the session's CSRF token (the sign-in form a token of its own,
// bound to a short-lived cookie). Who the person is comes from the session; what they may do
// comes from the directory at each request (resolveActor), never from the session.

export const SESSION_COOKIE = 'dp_session';
const LOGIN_COOKIE = 'dp_login';

export interface Staff {
  actor: Actor;
  csrf: string;
  frame: StaffFrame;
  ctx: Ctx;
}

export const staffOf = (res: Response): Staff => res.locals.staff as Staff;

const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/staff(\/[A-Za-z0-9/_.?=&%-]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/staff';

function loginForm(
  req: Request,
  res: Response,
  ctx: Ctx,
  o: { status?: number; userId?: string; error?: string; next?: string },
) {
  const token = randomBytes(24).toString('base64url');
  setCookie(req, res, LOGIN_COOKIE, token, { maxAgeSeconds: 3600 });
  const { t } = ctx;
  const body = html`${errorSummary(ctx, {}, o.error ? [o.error] : [])}
    <p class="notice">${t.loginIntro}</p>
    <form method="post" action="/staff/login" novalidate>
      <input type="hidden" name="_csrf" value="${token}" /><input
        type="hidden"
        name="next"
        value="${safeNext(o.next)}"
      />
      ${textField(ctx, { name: 'userId', label: t.userId, value: o.userId ?? '', required: true, autocomplete: 'username', maxlength: 100 })}
      ${textField(ctx, { name: 'password', label: t.password, type: 'password', required: true, autocomplete: 'current-password', maxlength: 1024 })}
      <p><button type="submit">${t.signIn}</button></p>
    </form>`;
  sendPage(res, ctx, { status: o.status, title: t.signInTitle, body });
}

export const loginPage = () => (req: Request, res: Response) =>
  loginForm(req, res, contextOf(req, res), { next: String(req.query.next ?? '') });

export function login(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const userId = formValue(req.body, 'userId').trim().slice(0, 100);
    const password = formValue(req.body, 'password');
    const next = formValue(req.body, 'next');
    if (!tokensMatch(formValue(req.body, '_csrf'), readCookie(req, LOGIN_COOKIE) ?? '\0')) {
      return loginForm(req, res, ctx, { status: 403, userId, error: ctx.t.formExpired, next });
    }
    // Counted before the password is checked, so parallel guesses cannot pass the limit.
    const gate = await beginLogin(
      { prisma: web.deps.prisma, limits: web.limits, secret: publicSecret(web.app) },
      userId,
      req.ip,
    );
    if (!gate.allowed) {
      markSecurity(res, { event: 'login-limited', userId });
      res.set('Retry-After', String(gate.retryAfterSeconds));
      return loginForm(req, res, ctx, { status: 429, userId, error: ctx.t.loginLimited(gate.retryAfterSeconds), next });
    }
    const ok = userId !== '' && (await checkPassword(web.deps.prisma, userId, password));
    const actor = ok ? await resolveActor(web.deps.prisma, userId) : null;
    if (!actor) {
      markSecurity(res, { event: 'login-failed', userId });
      return loginForm(req, res, ctx, { status: 401, userId, error: ctx.t.loginFailed, next });
    }
    await gate.succeeded();
    const s = await createSession(web.deps.prisma, actor.id);
    clearCookie(req, res, LOGIN_COOKIE);
    setCookie(req, res, SESSION_COOKIE, s.token, { maxAgeSeconds: SESSION_HOURS * 3600 });
    res.redirect(303, safeNext(next));
  };
}

export function logout(web: Web) {
  return async (req: Request, res: Response) => {
    await revokeSession(web.deps.prisma, readCookie(req, SESSION_COOKIE));
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/staff/login');
  };
}

/** Requires a live session; resolves the person's roles from the directory now. */
export function requireSession(web: Web) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = await findSession(web.deps.prisma, readCookie(req, SESSION_COOKIE));
    const actor = session ? await resolveActor(web.deps.prisma, session.userId) : null;
    if (!session || !actor) {
      if (req.method !== 'GET') return res.redirect(303, '/staff/login');
      return res.redirect(303, `/staff/login?next=${encodeURIComponent(req.originalUrl.split('?')[0])}`);
    }
    const ctx = contextOf(req, res);
    res.locals.staff = {
      actor,
      csrf: session.csrfToken,
      ctx,
      frame: { name: actor.name, csrf: session.csrfToken, supervisor: actor.roles.includes('supervisor') },
    } satisfies Staff;
    next();
  };
}

/** Refuses a form POST whose CSRF token is not the session's. */
export function requireCsrf(req: Request, res: Response, next: NextFunction) {
  const staff = staffOf(res);
  if (req.method === 'POST' && !tokensMatch(formValue(req.body, '_csrf'), staff.csrf)) {
    return sendPage(res, staff.ctx, {
      status: 403,
      title: staff.ctx.t.forbiddenTitle,
      staff: staff.frame,
      body: html`<p>${staff.ctx.t.formExpired}</p>`,
    });
  }
  next();
}

export function forbidden(res: Response, message: string) {
  const staff = staffOf(res);
  sendPage(res, staff.ctx, {
    status: 403,
    title: staff.ctx.t.forbiddenTitle,
    staff: staff.frame,
    body: html`<p>${message}</p>`,
  });
}
