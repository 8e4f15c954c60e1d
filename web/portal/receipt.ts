import type { Request, Response } from 'express';
import { readReceipt, type Receipt } from '../../app/public';
import { AppError } from '../../app/errors';
import { CAMPAIGN_MIN } from '../../lib/moderation';
import { label, contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { errorSummary, textField } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { clientOf, timeEl } from './common';

// The receipt look-up: with the number given on submission, anyone can see how that opinion was
// handled (adopted, partly adopted, not adopted, with the reason) or that it awaits handling.

type Found = Receipt;

function handling(ctx: Ctx, f: Found): Html {
  const { t } = ctx;
  const o = f.opinion;
  if (o.disposition) {
    return html`<dt>${t.handling}</dt>
      <dd>
        <strong>${label(t.dispositions, o.disposition)}</strong
        >${o.disposedAt ? html` (${timeEl(ctx, o.disposedAt)})` : ''}
      </dd>
      ${
        o.dispositionReason
          ? html`<dt>${t.reason}</dt>
              <dd>${o.dispositionReason}</dd>`
          : ''
      }`;
  }
  const pending =
    f.window && !f.window.frozenAt && f.window.closesAt.getTime() > ctx.now ? t.pendingWindowOpen : t.pendingStudy;
  return html`<dt>${t.handling}</dt>
    <dd>${pending}</dd>`;
}

function result(ctx: Ctx, f: Found, isNew: boolean): Html {
  const { t } = ctx;
  const o = f.opinion;
  return html`<section aria-labelledby="h-receipt">
    ${
      isNew
        ? html`<div class="notice notice-success" role="status">
            <p>${t.opinionReceived}</p>
            <p>${t.yourReceipt}: <span class="receipt">${o.receipt}</span></p>
            <p>${t.keepReceipt}</p>
          </div>`
        : ''
    }
    <h2 id="h-receipt">${t.receiptNumber}: ${o.receipt}</h2>
    <dl class="facts">
      <dt>${t.decision}</dt>
      <dd>
        ${f.decision ? html`<a href="/decisions/${encodeURIComponent(f.decision.id)}">${f.decision.title}</a>` : ''}
      </dd>
      <dt>${t.submittedAt}</dt>
      <dd>${timeEl(ctx, o.submittedAt)}</dd>
      <dt>${t.commentOn}</dt>
      <dd>${o.paragraph ? t.paragraphN(o.paragraph) : t.wholeDraft}</dd>
      <dt>${t.yourOpinion}</dt>
      <dd>${o.hidden ? html`<span class="hidden-opinion">${t.hiddenByModeration(o.hidden.reason)}</span>` : o.text}</dd>
      ${handling(ctx, f)}
      ${
        o.campaignSize >= CAMPAIGN_MIN
          ? html`<dt>${t.campaign}</dt>
              <dd>${t.campaignNote(o.campaignSize)}</dd>`
          : ''
      }
    </dl>
  </section>`;
}

function lookupForm(ctx: Ctx, number: string, error?: string): Html {
  return html`${errorSummary(ctx, error ? { number: error } : {})}
    <form method="get" action="/receipts">
      ${textField(ctx, { name: 'number', label: ctx.t.receiptNumber, hint: ctx.t.receiptHint, value: number, error, required: true, maxlength: 20, autocomplete: 'off' })}
      <p><button type="submit">${ctx.t.lookUp}</button></p>
    </form>`;
}

export function receiptPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const number = String(req.params.number ?? req.query.number ?? '')
      .trim()
      .slice(0, 40);
    if (!number) return sendPage(res, ctx, { title: ctx.t.receiptLookup, body: lookupForm(ctx, '') });
    let found: Found;
    try {
      found = await readReceipt(clientOf(web, req), { receipt: number }, web.app);
    } catch (e) {
      if (!(e instanceof AppError) || (e.status !== 429 && e.status !== 404)) throw e;
      if (e.status === 404)
        return sendPage(res, ctx, {
          status: 404,
          title: ctx.t.receiptLookup,
          body: lookupForm(ctx, number, ctx.t.receiptNotFound),
        });
      const retry = (e.details as { retryAfterSeconds: number }).retryAfterSeconds;
      res.set('Retry-After', String(retry));
      return sendPage(res, ctx, {
        status: 429,
        title: ctx.t.receiptLookup,
        body: html`${errorSummary(ctx, {}, [ctx.t.rateLimited(retry)])}${lookupForm(ctx, number)}`,
      });
    }
    sendPage(res, ctx, {
      title: ctx.t.receiptTitle(found.opinion.receipt),
      body: html`${result(ctx, found, req.query.new === '1')}${lookupForm(ctx, '')}`,
    });
  };
}
