import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { act } from '../../app/decisions/act';
import { actionForm } from '../../app/decisions/queries';
import {
  apiActionBodySchemas,
  idempotencyKeySchema,
  isApiAction,
  type ApiActionName,
} from '../../app/decisions/schemas';
import { AppError as ApiError, refusalFromTemporal } from '../../app/errors';
import { ACTION_SPECS } from '../../domain/actions';
import { Refusal } from '../../domain/refusals';
import { hearingNoticeOf } from '../../lib/public-decision';
import { label, type Ctx } from '../context';
import type { Web } from '../deps';
import { errorSummary, formValue, type FieldErrors } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { stageName } from '../portal/common';
import { describe, echo, issuesToErrors, readNode, renderNode, type FormHints } from './schema-form';
import type { z } from 'zod';
import { paramId } from '../portal/decision';
import { orRefusalPage } from './errors';
import { staffOf, type Staff } from './session';

// A form for every stage action, generated from the action's schema with the hints below, and
// submitted through the same command as the API (app/decisions/act.ts): the authority and the
// workflow's gates decide, a refusal is recorded in the audit chain and shown here with its code
// and legal basis. The form's data comes from app/decisions `actionForm` (`decision.read`).

const ROWS = {
  'meeting.attendees': 8,
  speeches: 8,
  participants: 6,
  signatures: 6,
  questions: 5,
  assignees: 5,
  evidence: 3,
};

type Loaded = Awaited<ReturnType<typeof actionForm>>;

function hintsFor(l: Loaded, action: ApiActionName, s: Staff): { hints: FormHints; initial: Record<string, string> } {
  const p = l.procedure;
  const people = l.choices.map((h) => ({ value: h.userId, label: `${h.name} — ${h.officeTitle}` }));
  const hints: FormHints = { hidden: { draftVersion: String(p.draft.version) }, rows: ROWS, choices: {}, values: {} };
  const initial: Record<string, string> = {};
  if (action === 'file-expert-opinion') {
    hints.values!['signature.signedBy'] = s.actor.name;
    hints.hidden!['signature.signedAt'] = '';
  }
  if (action === 'assign') {
    hints.choices!['assignees.userId'] = people;
    hints.hidden!['assignees.officeId'] = '';
  }
  if (action === 'submit-for-legality-review') {
    hints.choices!['reviewer.userId'] = people;
    hints.hidden!['reviewer.officeId'] = '';
  }
  if (action === 'withdraw-assignment') {
    hints.choices!.userId = p.assignments
      .filter((a) => a.status === 'open')
      .map((a) => ({ value: a.userId, label: `${a.name} — ${stageName(s.ctx, a.stage)}` }));
    hints.hidden!.officeId = '';
  }
  if (action === 'record-hearing') {
    hearingNoticeOf(l.records)?.participants.forEach((x, i) => (initial[`signatures.${i}.participant`] = x.name));
  }
  return { hints, initial };
}

function refusalBox(ctx: Ctx, r: { code: string; message: string; legalBasis?: string }): Html {
  const { t } = ctx;
  return html`<div class="refusal" role="alert" tabindex="-1" id="refusal">
    <h2>${t.refused}</h2>
    <p><strong>${label(t.refusals, r.code)}</strong> (<code>${r.code}</code>)</p>
    <p>${r.message}</p>
    ${r.legalBasis ? html`<p>${t.legalBasis}: <strong class="legal-basis">${r.legalBasis}</strong></p>` : ''}
  </div>`;
}

function render(
  res: Response,
  l: Loaded,
  action: ApiActionName,
  f: {
    values: Record<string, string>;
    errors: FieldErrors;
    general: string[];
    refusal?: Html;
    status?: number;
    key: string;
  },
) {
  const s = staffOf(res);
  const { t } = s.ctx;
  const { hints, initial } = hintsFor(l, action, s);
  const root = describe(apiActionBodySchemas[action], '', true, hints);
  const rendered = new Set<string>();
  const fields = renderNode(s.ctx, root, { ...initial, ...f.values }, f.errors, hints, rendered);
  const spec = ACTION_SPECS[action];
  // Only who may schedule the hearing is given the registrations (app/decisions actionForm).
  const registrations = l.registrations;
  const registered = registrations.length
    ? html`<table>
        <caption>
          ${t.hearingRegistrations}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.participantName}</th>
            <th scope="col">${t.represents}</th>
            <th scope="col">${t.contact}</th>
            <th scope="col">${t.statement}</th>
          </tr>
        </thead>
        <tbody>
          ${registrations.map(
            (r) =>
              html`<tr>
                <td>${r.name}</td>
                <td>${r.represents}</td>
                <td>${r.contact}</td>
                <td>${r.statement ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : '';
  const body = html`<p>
      <a href="/staff/decisions/${encodeURIComponent(l.state.id)}">${t.backToDecision(l.state.title)}</a>
    </p>
    ${f.refusal ?? ''}${errorSummary(s.ctx, f.errors, f.general)}
    <dl class="facts">
      <dt>${t.decision}</dt>
      <dd>${l.procedure.title}</dd>
      <dt>${t.stage}</dt>
      <dd>${stageName(s.ctx, l.procedure.currentStage)}</dd>
      <dt>${t.draftVersion}</dt>
      <dd>${l.procedure.draft.version}</dd>
      <dt>${t.whoActs}</dt>
      <dd>${spec.roles.map((r) => label(t.roles, r)).join(', ')}</dd>
    </dl>
    ${registered}
    <form method="post" action="/staff/decisions/${encodeURIComponent(l.state.id)}/actions/${action}" novalidate>
      <input type="hidden" name="_csrf" value="${s.csrf}" /><input type="hidden" name="_key" value="${f.key}" />
      ${l.changeId ? html`<input type="hidden" name="_change" value="${l.changeId}" />` : ''} ${fields}
      <p><button type="submit">${label(t.actions, action)}</button></p>
    </form>`;
  sendPage(res, s.ctx, { status: f.status, title: label(t.actions, action), staff: s.frame, body });
  return rendered;
}

const changeOf = (req: Request) =>
  typeof req.query.change === 'string' ? req.query.change : formValue(req.body, '_change') || undefined;

const load = (web: Web, req: Request, res: Response) =>
  actionForm(
    staffOf(res).actor,
    { decisionId: paramId(req), action: String(req.params.action), changeId: changeOf(req) },
    web.deps,
  );

export function actionFormPage(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      render(res, await load(web, req, res), String(req.params.action) as ApiActionName, {
        values: {},
        errors: {},
        general: [],
        key: randomUUID(),
      });
    });
}

export function submitActionForm(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const action = String(req.params.action);
      if (!isApiAction(action))
        return sendPage(res, s.ctx, {
          status: 404,
          title: s.ctx.t.notFoundTitle,
          staff: s.frame,
          body: html`<p>${s.ctx.t.notFoundText}</p>`,
        });
      const decisionId = paramId(req);
      const changeId = changeOf(req);
      const key = idempotencyKeySchema.safeParse(formValue(req.body, '_key')).success
        ? formValue(req.body, '_key')
        : randomUUID();
      // Reading the form back depends only on its shape (the rows of each list), not on the decision.
      const shape: FormHints = { rows: ROWS };
      const bodyIn = { ...(req.body as Record<string, unknown>) };
      if (action === 'file-expert-opinion') bodyIn['signature.signedAt'] = new Date().toISOString();
      const payload = readNode(describe(apiActionBodySchemas[action], '', true, shape), bodyIn);
      const values = echo(req.body);
      // The form again, with the field errors or the refusal: only to who may read the decision.
      const again = async (f: { issues?: z.core.$ZodIssue[]; refusal?: Html; status: number }) => {
        const l = await actionForm(s.actor, { decisionId, action, changeId }, web.deps);
        const { hints } = hintsFor(l, action, s);
        const rendered = new Set<string>();
        renderNode(s.ctx, describe(apiActionBodySchemas[action], '', true, hints), values, {}, hints, rendered);
        const { errors, general } = f.issues ? issuesToErrors(s.ctx, f.issues, rendered) : { errors: {}, general: [] };
        render(res, l, action, { values, errors, general, refusal: f.refusal, status: f.status, key: randomUUID() });
      };
      const parsed = apiActionBodySchemas[action].safeParse(payload);
      try {
        // The same command as the API: authorizes first (so a form from someone who may not act is
        // refused whatever it holds), then examines the body, claims the key, sends, audits any refusal.
        await act(
          s.actor,
          { decisionId, action, changeId, body: parsed.success ? parsed.data : payload, idempotencyKey: key },
          web.deps,
        );
        res.redirect(303, `/staff/decisions/${encodeURIComponent(decisionId)}?done=${action}`);
      } catch (e) {
        // The form's own reading of its errors names them in the reader's language.
        if (!parsed.success && e instanceof ApiError && e.code === 'INVALID_INPUT')
          return again({ issues: parsed.error.issues, status: 400 });
        const r = e instanceof Refusal || e instanceof ApiError ? e : refusalFromTemporal(e);
        if (!r) throw e;
        if (r instanceof ApiError && r.code === 'INVALID_INPUT') {
          const issues = ((r.details as { issues?: Array<{ path: string; message: string }> })?.issues ?? []).map(
            (i) => ({ code: 'custom', path: i.path.split('.'), message: i.message }),
          );
          return again({ issues: issues as never, status: 400 });
        }
        await again({
          refusal: refusalBox(s.ctx, { code: r.code, message: r.message, legalBasis: r.legalBasis }),
          status: r.status,
        });
      }
    });
}
