import type { Response } from 'express';
import { AppError } from '../../app/errors';
import { Refusal } from '../../domain/refusals';
import { label } from '../context';
import { html } from '../html';
import { sendPage } from '../layout';
import { staffOf } from './session';

// How a workspace page answers a refusal of the application layer that leaves nothing to show:
// 403 (the person may not read or do this: docs/authority.md) and 404, as a page in the reader's
// language naming the refusal's code. Anything else is the caller's to handle.

/** Sends the page and returns true when `e` is a 403 or 404 of the application layer. */
export function sendRefusalPage(res: Response, e: unknown): boolean {
  const r = e instanceof Refusal || e instanceof AppError ? e : null;
  if (!r || (r.status !== 403 && r.status !== 404)) return false;
  const s = staffOf(res);
  const { t } = s.ctx;
  const body =
    r.status === 404
      ? html`<p>${t.notFoundText}</p>`
      : html`<div class="refusal" role="alert">
          <p><strong>${label(t.refusals, r.code)}</strong> (<code>${r.code}</code>)</p>
          ${r.legalBasis ? html`<p>${t.legalBasis}: ${r.legalBasis}</p>` : ''}
        </div>`;
  sendPage(res, s.ctx, {
    status: r.status,
    title: r.status === 404 ? t.notFoundTitle : t.forbiddenTitle,
    staff: s.frame,
    body,
  });
  return true;
}

/** Runs a page handler; a 403 or 404 of the application layer becomes its page. */
export async function orRefusalPage(res: Response, page: () => Promise<unknown>): Promise<void> {
  try {
    await page();
  } catch (e) {
    if (!sendRefusalPage(res, e)) throw e;
  }
}
