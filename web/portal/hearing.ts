import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { hearingRegistrationBody, idempotencyKeySchema, registerForHearing } from '../../app/public';
import { fromZod } from '../../app/errors';
import { registrationState } from '../../domain/public';
import { currentRecords, hearingNoticeOf, latest, type PublicDecision } from '../../lib/public-decision';
import { contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { errorSummary, formValue, textField, type FieldErrors } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { clientOf, decisionNav, disclosedDecision, notFoundPage, timeEl } from './common';
import { showError } from './errors';

// A hearing (Decree 713 Arts 16–17): the notice with time and place, the participant selection
// method and the list of participants, registration while it is open, and the record signed by
// the participants once it is filed.

interface RegForm {
  values: Record<string, string>;
  errors: FieldErrors;
  general: string[];
  registered?: string;
}

function render(ctx: Ctx, d: PublicDecision, f: RegForm): Html {
  const { t } = ctx;
  const records = currentRecords(d.state, d.records).filter((r) => r.stage === 'publicity-and-hearing');
  const notice = hearingNoticeOf(records);
  const record = latest(records, 'hearing-record');
  const state = registrationState(d.state, notice, record !== null, ctx.now);
  const nav = decisionNav(ctx, d.state, `/decisions/${encodeURIComponent(d.state.id)}/hearing`);
  if (state === 'not-required')
    return html`${nav}
      <p class="notice">${t.noHearing}</p>`;
  const noticeView = notice
    ? html`<section aria-labelledby="h-notice">
        <h2 id="h-notice">${t.hearingNotice}</h2>
        <dl class="facts">
          <dt>${t.facts.heldAt}</dt>
          <dd>${timeEl(ctx, notice.heldAt)}</dd>
          <dt>${t.facts.place}</dt>
          <dd>${notice.place}</dd>
          <dt>${t.facts.selectionMethod}</dt>
          <dd>${notice.selectionMethod}</dd>
          <dt>${t.materialsSentAt}</dt>
          <dd>${timeEl(ctx, notice.materialsSentAt)}</dd>
        </dl>
        <table>
          <caption>
            ${t.facts.participants}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.participantName}</th>
              <th scope="col">${t.represents}</th>
            </tr>
          </thead>
          <tbody>
            ${notice.participants.map(
              (p) =>
                html`<tr>
                  <td>${p.name}</td>
                  <td>${p.represents}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`
    : html`<p class="notice">${t.hearingNotYetNoticed}</p>`;
  const sig = (record?.content ?? {}) as {
    record?: string;
    signatures?: Array<{ participant: string; signedAt: string }>;
  };
  const recordView = record
    ? html`<section aria-labelledby="h-record">
        <h2 id="h-record">${t.hearingRecord}</h2>
        <pre class="text">${sig.record ?? ''}</pre>
        <table>
          <caption>
            ${t.signatures}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.participantName}</th>
              <th scope="col">${t.signedAt}</th>
            </tr>
          </thead>
          <tbody>
            ${(sig.signatures ?? []).map(
              (s) =>
                html`<tr>
                  <td>${s.participant}</td>
                  <td>${timeEl(ctx, s.signedAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`
    : '';
  const form =
    state === 'open' && !f.registered
      ? html`<section aria-labelledby="h-register">
          <h2 id="h-register">${t.registerForHearing}</h2>
          ${errorSummary(ctx, f.errors, f.general)}
          <form method="post" action="/decisions/${encodeURIComponent(d.state.id)}/hearing" novalidate>
            <input type="hidden" name="clientKey" value="${f.values.clientKey}" />
            ${textField(ctx, { name: 'name', label: t.yourName, value: f.values.name, error: f.errors.name, required: true, autocomplete: 'name', maxlength: 100 })}
            ${textField(ctx, { name: 'contact', label: t.contact, hint: t.registrationContactHint, value: f.values.contact, error: f.errors.contact, required: true, maxlength: 200 })}
            ${textField(ctx, { name: 'represents', label: t.represents, hint: t.representsHint, value: f.values.represents, error: f.errors.represents, required: true, maxlength: 200 })}
            ${textField(ctx, { name: 'statement', label: t.statement, value: f.values.statement, error: f.errors.statement, multiline: true, rows: 4, maxlength: 5_000 })}
            <p><button type="submit">${t.register}</button></p>
          </form>
        </section>`
      : state === 'open'
        ? ''
        : html`${errorSummary(ctx, {}, f.general)}
            <p class="notice">${t.registrationClosed}</p>`;
  const done = f.registered
    ? html`<div class="notice notice-success" role="status">
        <p>${t.registered}</p>
        <p>${t.yourReceipt}: <span class="receipt">${f.registered}</span></p>
      </div>`
    : '';
  return html`${nav}${done}${noticeView}${recordView}${form}`;
}

export function hearingPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const registered =
      typeof req.query.registered === 'string' && /^HR-[A-Z0-9-]{11}$/.test(req.query.registered)
        ? req.query.registered
        : undefined;
    sendPage(res, ctx, {
      title: ctx.t.hearingTitle(d.state.title),
      body: render(ctx, d, { values: { clientKey: randomUUID() }, errors: {}, general: [], registered }),
    });
  };
}

export function submitRegistration(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const values = Object.fromEntries(
      ['clientKey', 'name', 'contact', 'represents', 'statement'].map((n) => [n, formValue(req.body, n)]),
    );
    if (!idempotencyKeySchema.safeParse(values.clientKey).success) values.clientKey = randomUUID();
    try {
      const parsed = hearingRegistrationBody.safeParse({
        name: values.name,
        contact: values.contact,
        represents: values.represents,
        ...(values.statement.trim() ? { statement: values.statement } : {}),
      });
      if (!parsed.success) throw fromZod(parsed.error);
      const reg = await registerForHearing(
        clientOf(web, req),
        { decisionId: d.state.id, ...parsed.data, idempotencyKey: values.clientKey },
        web.app,
      );
      res.redirect(
        303,
        `/decisions/${encodeURIComponent(d.state.id)}/hearing?registered=${encodeURIComponent(reg.id)}`,
      );
    } catch (e) {
      const shown = showError(ctx, e);
      sendPage(res, ctx, {
        status: shown.status,
        title: ctx.t.hearingTitle(d.state.title),
        body: render(ctx, d, { values, errors: shown.fields, general: shown.general }),
      });
    }
  };
}
