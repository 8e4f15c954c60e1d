import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  idempotencyKeySchema,
  publicOpinionBody,
  requestVerification,
  submitOpinion,
  verificationRequired,
} from '../../app/public';
import { fromZod } from '../../app/errors';
import { windowOpen } from '../../domain/public';
import type { PublicDecision } from '../../lib/public-decision';
import { contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { errorSummary, formValue, selectField, textField, type FieldErrors } from '../forms';
import { html } from '../html';
import { sendPage } from '../layout';
import { commentWindowSection } from './decision';
import { clientOf, disclosedDecision, notFoundPage } from './common';
import { showError } from './errors';

// The opinion form: on the whole draft or on one paragraph; errors next to their fields; a
// receipt number on success (then the look-up page shows how the opinion was handled). When the
// template requires it, the commenter first gets a code by e-mail or SMS and enters it here.

interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
  general: string[];
  info?: string;
}

function renderForm(ctx: Ctx, d: PublicDecision, f: FormState) {
  const { t } = ctx;
  const id = encodeURIComponent(d.state.id);
  const channel = verificationRequired(d.state);
  const open = d.state.windows.some((w) => w.kind === 'comment' && windowOpen(w, ctx.now));
  const paragraphOptions = [
    { value: '', label: t.wholeDraft },
    ...d.paragraphs.map((p, i) => ({
      value: String(i + 1),
      label: `${t.paragraphN(i + 1)} — ${p.slice(0, 40)}${p.length > 40 ? '…' : ''}`,
    })),
  ];
  const verification = channel
    ? html`<fieldset>
        <legend>${t.verificationLegend(t.channels[channel])}</legend>
        <p class="hint">${t.verificationHint(t.channels[channel])}</p>
        ${textField(ctx, { name: 'destination', label: t.channels[channel], type: channel === 'email' ? 'email' : 'tel', value: f.values.destination, error: f.errors.destination, required: true, autocomplete: channel === 'email' ? 'email' : 'tel' })}
        <p>
          <button type="submit" name="step" value="send-code" class="secondary" formnovalidate>${t.sendCode}</button>
        </p>
        <input type="hidden" name="verificationId" value="${f.values.verificationId ?? ''}" />
        ${textField(ctx, { name: 'code', label: t.verificationCode, value: f.values.code, error: f.errors.code, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 })}
      </fieldset>`
    : '';
  const form = open
    ? html`<form method="post" action="/decisions/${id}/comment" novalidate>
        <input type="hidden" name="clientKey" value="${f.values.clientKey}" />
        ${selectField(ctx, { name: 'paragraph', label: t.commentOn, value: f.values.paragraph, options: paragraphOptions, error: f.errors.paragraph, required: true })}
        ${textField(ctx, { name: 'text', label: t.yourOpinion, hint: t.opinionHint, value: f.values.text, error: f.errors.text, required: true, multiline: true, rows: 8, maxlength: 10_000 })}
        ${textField(ctx, { name: 'name', label: t.yourName, hint: t.nameHint, value: f.values.name, error: f.errors.name, autocomplete: 'name', maxlength: 100 })}
        ${channel ? '' : textField(ctx, { name: 'contact', label: t.contact, hint: t.contactHint, value: f.values.contact, error: f.errors.contact, maxlength: 200 })}
        ${verification}
        <p><button type="submit" name="step" value="submit">${t.submitOpinion}</button></p>
      </form>`
    : '';
  return html`${errorSummary(ctx, f.errors, f.general)}
    ${f.info ? html`<p class="notice notice-success" role="status">${f.info}</p>` : ''}
    <p><a href="/decisions/${id}">${t.backToDraft(d.state.title)}</a></p>
    ${commentWindowSection(ctx, d)} ${form}`;
}

const fresh = (req: Request) => ({
  clientKey: randomUUID(),
  paragraph: /^\d{1,6}$/.test(String(req.query.paragraph ?? '')) ? String(req.query.paragraph) : '',
});

export function commentPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    sendPage(res, ctx, {
      title: ctx.t.commentTitle(d.state.title),
      body: renderForm(ctx, d, { values: fresh(req), errors: {}, general: [] }),
    });
  };
}

function readValues(body: unknown): Record<string, string> {
  const names = ['clientKey', 'paragraph', 'text', 'name', 'contact', 'destination', 'verificationId', 'code', 'step'];
  return Object.fromEntries(names.map((n) => [n, formValue(body, n)]));
}

export function submitComment(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const values = readValues(req.body);
    if (!idempotencyKeySchema.safeParse(values.clientKey).success) values.clientKey = randomUUID();
    const channel = verificationRequired(d.state);
    const title = ctx.t.commentTitle(d.state.title);
    try {
      if (channel && values.step === 'send-code') {
        const sent = await requestVerification(
          clientOf(web, req),
          { decisionId: d.state.id, channel, destination: values.destination },
          web.app,
        );
        values.verificationId = sent.id;
        return sendPage(res, ctx, {
          title,
          body: renderForm(ctx, d, { values, errors: {}, general: [], info: ctx.t.codeSent(sent.address) }),
        });
      }
      const body = {
        text: values.text,
        ...(values.paragraph ? { paragraph: Number(values.paragraph) } : {}),
        ...(values.name.trim() ? { name: values.name } : {}),
        ...(!channel && values.contact.trim() ? { contact: values.contact } : {}),
        ...(channel ? { contact: values.destination } : {}),
        ...(channel && values.verificationId ? { verification: { id: values.verificationId, code: values.code } } : {}),
      };
      const parsed = publicOpinionBody.safeParse(body);
      if (!parsed.success) throw fromZod(parsed.error);
      // The form's key is the page's Idempotency-Key: a resubmitted form is a retry.
      const a = await submitOpinion(
        clientOf(web, req),
        { ...parsed.data, decisionId: d.state.id, idempotencyKey: values.clientKey },
        web.app,
      );
      res.redirect(303, `/receipts/${encodeURIComponent(a.id)}?new=1`);
    } catch (e) {
      const shown = showError(ctx, e, {
        'verification.code': 'code',
        'verification.id': 'code',
        contact: channel ? 'destination' : 'contact',
      });
      if (shown.status === 429) res.set('Retry-After', '60');
      sendPage(res, ctx, {
        status: shown.status,
        title,
        body: renderForm(ctx, d, { values, errors: shown.fields, general: shown.general }),
      });
    }
  };
}
