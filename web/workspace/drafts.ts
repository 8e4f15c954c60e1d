import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { reviseDraft } from '../../app/decisions/act';
import { authorizeCreation, createDecision } from '../../app/decisions/create';
import { draftForRevision } from '../../app/decisions/queries';
import { createDecisionBody, draftRevisionBody, idempotencyKeySchema } from '../../app/decisions/schemas';
import { AppError as ApiError, refusalFromTemporal } from '../../app/errors';
import { FLAGS } from '../../domain/stages';
import { Refusal } from '../../domain/refusals';
import { label, type Ctx } from '../context';
import type { Web } from '../deps';
import { checkbox, errorSummary, formValue, selectField, textField, type FieldErrors } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { issuesToErrors } from './schema-form';
import { paramId } from '../portal/decision';
import { orRefusalPage } from './errors';
import { staffOf } from './session';

// Starting a decision and uploading a draft revision, as hand-written forms (they carry a
// document, not a stage payload). Both call the same commands as the API (app/decisions/).

const DOC_FIELDS = new Set([
  'title',
  'summary',
  'templateId',
  'nonDisclosableReason',
  'draft.text',
  'draft.explanation',
  'text',
  'explanation',
  'changeNote',
  ...FLAGS.map((f) => `flags.${f}`),
]);

function refusal(ctx: Ctx, e: unknown): { status: number; html: Html } | null {
  const r = e instanceof Refusal || e instanceof ApiError ? e : refusalFromTemporal(e);
  if (!r) return null;
  const status = r instanceof Refusal ? r.status : r.status;
  return {
    status,
    html: html`<div class="refusal" role="alert">
      <h2>${ctx.t.refused}</h2>
      <p><strong>${label(ctx.t.refusals, r.code)}</strong> (<code>${r.code}</code>)</p>
      <p>${r.message}</p>
      ${r.legalBasis ? html`<p>${ctx.t.legalBasis}: ${r.legalBasis}</p>` : ''}
    </div>`,
  };
}

function newForm(
  web: Web,
  res: Response,
  f: { values: Record<string, string>; errors: FieldErrors; general: string[]; refusal?: Html; status?: number },
) {
  const s = staffOf(res);
  const { ctx } = s;
  const { t } = ctx;
  const templates = [...web.deps.templates.values()].map((x) => ({
    value: x.id,
    label: `${x.name}${x.statutory ? '' : ` (${t.nonStatutoryShort})`}`,
  }));
  const body = html`${f.refusal ?? ''}${errorSummary(ctx, f.errors, f.general)}
    <form method="post" action="/staff/decisions/new" novalidate>
      <input type="hidden" name="_csrf" value="${s.csrf}" /><input
        type="hidden"
        name="_key"
        value="${f.values._key ?? randomUUID()}"
      />
      ${textField(ctx, { name: 'title', label: t.fieldLabels.title, value: f.values.title, error: f.errors.title, required: true, maxlength: 300 })}
      ${textField(ctx, { name: 'summary', label: t.fieldLabels.summary, value: f.values.summary, error: f.errors.summary, required: true, multiline: true, rows: 3 })}
      ${selectField(ctx, { name: 'templateId', label: t.template, value: f.values.templateId ?? 'statutory-default', error: f.errors.templateId, required: true, options: templates })}
      <fieldset>
        <legend>${t.flags}</legend>
        ${FLAGS.map((flag) => checkbox({ name: `flags.${flag}`, label: label(t.flagLabels, flag), checked: f.values[`flags.${flag}`] === 'on' }, ctx))}
      </fieldset>
      ${textField(ctx, { name: 'nonDisclosableReason', label: t.fieldLabels.nonDisclosableReason, value: f.values.nonDisclosableReason, error: f.errors.nonDisclosableReason })}
      ${textField(ctx, { name: 'draft.text', label: t.fieldLabels.text, hint: t.draftTextHint, value: f.values['draft.text'], error: f.errors['draft.text'], required: true, multiline: true, rows: 12 })}
      ${textField(ctx, { name: 'draft.explanation', label: t.fieldLabels.explanation, value: f.values['draft.explanation'], error: f.errors['draft.explanation'], required: true, multiline: true, rows: 6 })}
      <p><button type="submit">${t.newDecision}</button></p>
    </form>`;
  sendPage(res, ctx, { status: f.status, title: t.newDecision, staff: s.frame, body });
}

export const newDecisionPage = (web: Web) => (_req: Request, res: Response) =>
  orRefusalPage(res, async () => {
    authorizeCreation(staffOf(res).actor);
    return newForm(web, res, { values: {}, errors: {}, general: [] });
  });

export function createDecisionForm(web: Web) {
  return async (req: Request, res: Response) => {
    const s = staffOf(res);
    const values = Object.fromEntries(Object.keys(req.body ?? {}).map((k) => [k, formValue(req.body, k)]));
    const opt = (k: string) => (values[k]?.trim() ? values[k] : undefined);
    const input = {
      title: values.title,
      summary: values.summary,
      templateId: values.templateId,
      flags: Object.fromEntries(FLAGS.map((f) => [f, values[`flags.${f}`] === 'on'])),
      ...(opt('nonDisclosableReason') ? { nonDisclosableReason: values.nonDisclosableReason } : {}),
      draft: { text: values['draft.text'] ?? '', explanation: values['draft.explanation'] ?? '' },
    };
    const parsed = createDecisionBody.safeParse(input);
    if (!parsed.success)
      return newForm(web, res, { values, status: 400, ...issuesToErrors(s.ctx, parsed.error.issues, DOC_FIELDS) });
    const key = idempotencyKeySchema.safeParse(values._key).success ? values._key : undefined;
    try {
      const { result } = await createDecision(s.actor, { body: parsed.data, idempotencyKey: key }, web.deps);
      res.redirect(303, `/staff/decisions/${encodeURIComponent(result.id)}?done=create`);
    } catch (e) {
      const r = refusal(s.ctx, e);
      if (!r) throw e;
      newForm(web, res, { values, errors: {}, general: [], refusal: r.html, status: r.status });
    }
  };
}

function reviseForm(
  res: Response,
  id: string,
  title: string,
  f: { values: Record<string, string>; errors: FieldErrors; general: string[]; refusal?: Html; status?: number },
) {
  const s = staffOf(res);
  const { ctx } = s;
  const { t } = ctx;
  const body = html`<p><a href="/staff/decisions/${encodeURIComponent(id)}">${t.backToDecision(title)}</a></p>
    ${f.refusal ?? ''}${errorSummary(ctx, f.errors, f.general)}
    <form method="post" action="/staff/decisions/${encodeURIComponent(id)}/revise" novalidate>
      <input type="hidden" name="_csrf" value="${s.csrf}" /><input
        type="hidden"
        name="_key"
        value="${f.values._key ?? randomUUID()}"
      />
      ${textField(ctx, { name: 'text', label: t.fieldLabels.text, hint: t.draftTextHint, value: f.values.text, error: f.errors.text, required: true, multiline: true, rows: 12 })}
      ${textField(ctx, { name: 'explanation', label: t.fieldLabels.explanation, value: f.values.explanation, error: f.errors.explanation, required: true, multiline: true, rows: 6 })}
      ${textField(ctx, { name: 'changeNote', label: t.fieldLabels.changeNote, value: f.values.changeNote, error: f.errors.changeNote, required: true, multiline: true, rows: 3 })}
      <p><button type="submit">${t.reviseDraft}</button></p>
    </form>`;
  sendPage(res, ctx, { status: f.status, title: t.reviseDraft, staff: s.frame, body });
}

export function revisePage(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const id = paramId(req);
      const d = await draftForRevision(staffOf(res).actor, id, web.deps);
      reviseForm(res, id, d.state.title, {
        values: { text: d.text, explanation: d.explanation },
        errors: {},
        general: [],
      });
    });
}

export function submitRevision(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const id = paramId(req);
      // The title is read for the form shown again, by who may read the decision (else 403).
      const title = async () => (await draftForRevision(s.actor, id, web.deps)).state.title;
      const values = Object.fromEntries(
        ['text', 'explanation', 'changeNote', '_key'].map((k) => [k, formValue(req.body, k)]),
      );
      const parsed = draftRevisionBody.safeParse({
        text: values.text,
        explanation: values.explanation,
        changeNote: values.changeNote,
      });
      if (!parsed.success)
        return reviseForm(res, id, await title(), {
          values,
          status: 400,
          ...issuesToErrors(s.ctx, parsed.error.issues, DOC_FIELDS),
        });
      try {
        await reviseDraft(
          s.actor,
          {
            decisionId: id,
            body: parsed.data,
            idempotencyKey: idempotencyKeySchema.safeParse(values._key).success ? values._key : undefined,
          },
          web.deps,
        );
        res.redirect(303, `/staff/decisions/${encodeURIComponent(id)}?done=revise-draft`);
      } catch (e) {
        const r = refusal(s.ctx, e);
        if (!r) throw e;
        reviseForm(res, id, await title(), {
          values: { ...values, _key: randomUUID() },
          errors: {},
          general: [],
          refusal: r.html,
          status: r.status,
        });
      }
    });
}
