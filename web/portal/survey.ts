import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { idempotencyKeySchema, readSurveyResults, submitSurveyAnswer } from '../../app/public';
import { AppError } from '../../app/errors';
import { windowOpen, type Answers, type Question } from '../../domain/public';
import type { PublicDecision } from '../../lib/public-decision';
import type { SurveyResults } from '../../lib/survey';
import { contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { choiceGroup, errorSummary, formValue, formValues, textField, type FieldErrors } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { clientOf, decisionNav, disclosedDecision, notFoundPage, timeEl } from './common';
import { showError } from './errors';

// The opinion survey of a livelihood decision: the questionnaire the officials built, answered
// during its window; after the window is frozen, the aggregated results of exactly that set.

const surveyOf = (d: PublicDecision) => [...d.state.windows].reverse().find((w) => w.kind === 'survey');

function questionField(ctx: Ctx, q: Question, values: Answers, errors: FieldErrors): Html {
  const name = `answers.${q.id}`;
  const v = values[q.id];
  if (q.kind === 'text')
    return textField(ctx, {
      name,
      label: q.text,
      value: typeof v === 'string' ? v : '',
      error: errors[name],
      multiline: true,
      rows: 4,
      maxlength: 5_000,
    });
  const options = (q.options ?? []).map((o) => ({ value: o, label: o }));
  return choiceGroup(ctx, {
    name,
    legend: q.text,
    type: q.kind === 'single-choice' ? 'radio' : 'checkbox',
    options,
    checked: Array.isArray(v) ? v : v ? [v] : [],
    error: errors[name],
  });
}

function resultsView(ctx: Ctx, r: SurveyResults): Html {
  const { t } = ctx;
  const pct = (n: number, of: number) => (of ? `${Math.round((n * 1000) / of) / 10}%` : '—');
  return html`<p>${t.respondents(r.respondents)}</p>
    ${r.frozen ? html`<p class="hint">${t.frozenDigest}: <code>${r.frozen.digest}</code></p>` : ''}
    ${r.questions.map((q, i) =>
      q.kind === 'text'
        ? html`<h3 id="q-${i}">${q.text}</h3>
            <p>${t.textAnswers(q.answered)}</p>`
        : html`<table>
            <caption>
              ${q.text}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.option}</th>
                <th scope="col">${t.count}</th>
                <th scope="col">${t.share}</th>
              </tr>
            </thead>
            <tbody>
              ${q.options.map(
                (o) =>
                  html`<tr>
                    <th scope="row">${o.option}</th>
                    <td>${o.count}</td>
                    <td>${pct(o.count, q.answered)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
    )}`;
}

async function render(
  web: Web,
  req: Request,
  ctx: Ctx,
  d: PublicDecision,
  f: { values: Answers; errors: FieldErrors; general: string[]; clientKey: string; answered?: string },
): Promise<Html> {
  const { t } = ctx;
  const w = surveyOf(d);
  const nav = decisionNav(ctx, d.state, `/decisions/${encodeURIComponent(d.state.id)}/survey`);
  if (!w)
    return html`${nav}
      <p class="notice">${t.noSurvey}</p>`;
  if (f.answered)
    return html`${nav}
      <div class="notice notice-success" role="status">
        <p>${t.surveyThanks}</p>
        <p>${t.yourReceipt}: <span class="receipt">${f.answered}</span></p>
      </div>`;
  if (w.frozen) {
    const results = await readSurveyResults(clientOf(web, req), { decisionId: d.state.id }, web.app).catch(() => null);
    return html`${nav}
      <p class="notice">${t.surveyClosedOn} ${timeEl(ctx, w.closesAt ?? w.frozen.at)}</p>
      <h2>${t.surveyResults}</h2>
      ${results ? resultsView(ctx, results) : ''}`;
  }
  if (!windowOpen(w, ctx.now))
    return html`${nav}${errorSummary(ctx, {}, f.general)}
      <p class="notice">${t.surveyCounting}</p>`;
  return html`${nav}${errorSummary(ctx, f.errors, f.general)}
    <p class="notice">
      ${t.surveyOpenUntil} ${timeEl(ctx, w.closesAt!)} —
      <span class="countdown">${ctx.remaining(w.closesAt! - ctx.now)}</span>
    </p>
    <form method="post" action="/decisions/${encodeURIComponent(d.state.id)}/survey" novalidate>
      <input type="hidden" name="clientKey" value="${f.clientKey}" />
      ${((w.questions ?? []) as Question[]).map((q) => questionField(ctx, q, f.values, f.errors))}
      <p><button type="submit">${t.submitAnswers}</button></p>
    </form>`;
}

export function surveyPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const answered =
      typeof req.query.answered === 'string' && /^SV-[A-Z0-9-]{11}$/.test(req.query.answered)
        ? req.query.answered
        : undefined;
    sendPage(res, ctx, {
      title: ctx.t.surveyTitle(d.state.title),
      body: await render(web, req, ctx, d, { values: {}, errors: {}, general: [], clientKey: randomUUID(), answered }),
    });
  };
}

export function submitSurvey(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const w = surveyOf(d);
    const questions = (w?.questions ?? []) as Question[];
    const values: Answers = {};
    for (const q of questions) {
      const name = `answers.${q.id}`;
      if (q.kind === 'multiple-choice') {
        const v = formValues(req.body, name);
        if (v.length) values[q.id] = v;
      } else if (formValue(req.body, name).trim()) values[q.id] = formValue(req.body, name).trim();
    }
    const clientKey = idempotencyKeySchema.safeParse(formValue(req.body, 'clientKey')).success
      ? formValue(req.body, 'clientKey')
      : randomUUID();
    try {
      if (!Object.keys(values).length) throw new AppError(400, 'INVALID_INPUT', 'no answer', { issues: [] });
      const a = await submitSurveyAnswer(
        clientOf(web, req),
        { decisionId: d.state.id, answers: values, idempotencyKey: clientKey },
        web.app,
      );
      res.redirect(303, `/decisions/${encodeURIComponent(d.state.id)}/survey?answered=${encodeURIComponent(a.id)}`);
    } catch (e) {
      const shown = showError(ctx, e);
      if (!Object.keys(values).length) shown.general.push(ctx.t.answerAtLeastOne);
      sendPage(res, ctx, {
        status: shown.status,
        title: ctx.t.surveyTitle(d.state.title),
        body: await render(web, req, ctx, d, { values, errors: shown.fields, general: shown.general, clientKey }),
      });
    }
  };
}
