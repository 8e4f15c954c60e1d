import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ACTION_SPECS } from '../../domain/actions';
import { targetOf, type DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { Role } from '../../domain/stages';
import { apiActionBodySchemas, idempotencyKeySchema, isApiAction, type ApiActionName } from '../../api/decisions/schemas';
import { performAction } from '../../api/decisions/actions';
import { ApiError, refusalFromTemporal } from '../../api/errors';
import type { PrismaClient } from '../../lib/db';
import { hearingNoticeOf, type StoredRecord } from '../../lib/public-decision';
import { label, type Ctx } from '../context';
import type { Web } from '../deps';
import { errorSummary, formValue, type FieldErrors } from '../forms';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { stageName } from '../portal/common';
import { describe, echo, issuesToErrors, readNode, renderNode, type FormHints } from './schema-form';
import { paramId } from '../portal/decision';
import { staffOf, type Staff } from './session';

// A form for every stage action, generated from the action's schema with the hints below, and
// submitted through the same performAction as the API: the workflow's gates decide, a refusal is
// recorded in the audit chain and shown here with its code and legal basis.

const ROWS = { 'meeting.attendees': 8, speeches: 8, participants: 6, signatures: 6, questions: 5, assignees: 5, evidence: 3 };

async function holders(prisma: PrismaClient, roles: Role[]) {
  const offices = await prisma.office.findMany({ where: { role: { in: roles } }, include: { terms: { where: { endsAt: null }, include: { user: true } } }, orderBy: { id: 'asc' } });
  return offices.flatMap((o) => o.terms.map((t) => ({ value: t.userId, label: `${t.user.name} — ${o.title}` })));
}

async function hintsFor(web: Web, p: DecisionState, action: ApiActionName, s: Staff, records: StoredRecord[]): Promise<{ hints: FormHints; initial: Record<string, string> }> {
  const hints: FormHints = { hidden: { draftVersion: String(p.draft.version) }, rows: ROWS, choices: {}, values: {} };
  const initial: Record<string, string> = {};
  if (action === 'file-expert-opinion') {
    hints.values!['signature.signedBy'] = s.actor.name;
    hints.hidden!['signature.signedAt'] = '';
  }
  if (action === 'assign') {
    hints.choices!['assignees.userId'] = await holders(web.deps.prisma, ['expert', 'risk-assessor', 'fairness-reviewer']);
    hints.hidden!['assignees.officeId'] = '';
  }
  if (action === 'submit-for-legality-review') {
    hints.choices!['reviewer.userId'] = await holders(web.deps.prisma, ['legality-reviewer']);
    hints.hidden!['reviewer.officeId'] = '';
  }
  if (action === 'withdraw-assignment') {
    hints.choices!.userId = p.assignments.filter((a) => a.status === 'open').map((a) => ({ value: a.userId, label: `${a.name} — ${stageName(s.ctx, a.stage)}` }));
    hints.hidden!.officeId = '';
  }
  if (action === 'record-hearing') {
    hearingNoticeOf(records)?.participants.forEach((x, i) => (initial[`signatures.${i}.participant`] = x.name));
  }
  return { hints, initial };
}

function refusalBox(ctx: Ctx, r: { code: string; message: string; legalBasis?: string }): Html {
  const { t } = ctx;
  return html`<div class="refusal" role="alert" tabindex="-1" id="refusal"><h2>${t.refused}</h2>
    <p><strong>${label(t.refusals, r.code)}</strong> (<code>${r.code}</code>)</p><p>${r.message}</p>
    ${r.legalBasis ? html`<p>${t.legalBasis}: <strong class="legal-basis">${r.legalBasis}</strong></p>` : ''}</div>`;
}

interface Loaded {
  state: DecisionState;
  procedure: DecisionState;
  changeId?: string;
  records: StoredRecord[];
}

async function load(web: Web, req: Request): Promise<Loaded | null> {
  const row = await web.deps.prisma.decision.findUnique({ where: { id: paramId(req) } });
  if (!row) return null;
  const state = row.state as unknown as DecisionState;
  const changeId = typeof req.query.change === 'string' ? req.query.change : formValue(req.body, '_change') || undefined;
  let procedure = state;
  try {
    procedure = targetOf(state, changeId ? { changeId } : {});
  } catch {
    return null;
  }
  const records = (await web.deps.prisma.stageRecord.findMany({ where: { decisionId: state.id, procedureId: changeId ?? 'main' }, orderBy: { at: 'asc' } })) as StoredRecord[];
  return { state, procedure, changeId, records: records.filter((r) => procedure.stages.find((x) => x.key === r.stage)?.round === r.round) };
}

async function render(web: Web, res: Response, l: Loaded, action: ApiActionName, f: { values: Record<string, string>; errors: FieldErrors; general: string[]; refusal?: Html; status?: number; key: string }) {
  const s = staffOf(res);
  const { t } = s.ctx;
  const { hints, initial } = await hintsFor(web, l.procedure, action, s, l.records);
  const root = describe(apiActionBodySchemas[action], '', true, hints);
  const rendered = new Set<string>();
  const fields = renderNode(s.ctx, root, { ...initial, ...f.values }, f.errors, hints, rendered);
  const spec = ACTION_SPECS[action];
  const registrations = action === 'schedule-hearing' ? await web.deps.prisma.hearingRegistration.findMany({ where: { decisionId: l.state.id }, orderBy: { createdAt: 'asc' } }) : [];
  const registered = registrations.length
    ? html`<table><caption>${t.hearingRegistrations}</caption><thead><tr><th scope="col">${t.participantName}</th><th scope="col">${t.represents}</th><th scope="col">${t.contact}</th><th scope="col">${t.statement}</th></tr></thead>
        <tbody>${registrations.map((r) => html`<tr><td>${r.name}</td><td>${r.represents}</td><td>${r.contact}</td><td>${r.statement ?? ''}</td></tr>`)}</tbody></table>`
    : '';
  const body = html`<p><a href="/staff/decisions/${encodeURIComponent(l.state.id)}">${t.backToDecision(l.state.title)}</a></p>
    ${f.refusal ?? ''}${errorSummary(s.ctx, f.errors, f.general)}
    <dl class="facts"><dt>${t.decision}</dt><dd>${l.procedure.title}</dd><dt>${t.stage}</dt><dd>${stageName(s.ctx, l.procedure.currentStage)}</dd>
      <dt>${t.draftVersion}</dt><dd>${l.procedure.draft.version}</dd><dt>${t.whoActs}</dt><dd>${spec.roles.map((r) => label(t.roles, r)).join(', ')}</dd></dl>
    ${registered}
    <form method="post" action="/staff/decisions/${encodeURIComponent(l.state.id)}/actions/${action}" novalidate>
      <input type="hidden" name="_csrf" value="${s.csrf}"><input type="hidden" name="_key" value="${f.key}">
      ${l.changeId ? html`<input type="hidden" name="_change" value="${l.changeId}">` : ''}
      ${fields}
      <p><button type="submit">${label(t.actions, action)}</button></p>
    </form>`;
  sendPage(res, s.ctx, { status: f.status, title: label(t.actions, action), staff: s.frame, body });
  return rendered;
}

export function actionFormPage(web: Web) {
  return async (req: Request, res: Response) => {
    const s = staffOf(res);
    const action = String(req.params.action);
    const l = await load(web, req);
    if (!l || !isApiAction(action)) return sendPage(res, s.ctx, { status: 404, title: s.ctx.t.notFoundTitle, staff: s.frame, body: html`<p>${s.ctx.t.notFoundText}</p>` });
    await render(web, res, l, action, { values: {}, errors: {}, general: [], key: randomUUID() });
  };
}

export function submitActionForm(web: Web) {
  return async (req: Request, res: Response) => {
    const s = staffOf(res);
    const action = String(req.params.action);
    const l = await load(web, req);
    if (!l || !isApiAction(action)) return sendPage(res, s.ctx, { status: 404, title: s.ctx.t.notFoundTitle, staff: s.frame, body: html`<p>${s.ctx.t.notFoundText}</p>` });
    const key = idempotencyKeySchema.safeParse(formValue(req.body, '_key')).success ? formValue(req.body, '_key') : randomUUID();
    const { hints } = await hintsFor(web, l.procedure, action, s, l.records);
    const bodyIn = { ...(req.body as Record<string, unknown>) };
    if (action === 'file-expert-opinion') bodyIn['signature.signedAt'] = new Date().toISOString();
    const payload = readNode(describe(apiActionBodySchemas[action], '', true, hints), bodyIn);
    const values = echo(req.body);
    const parsed = apiActionBodySchemas[action].safeParse(payload);
    if (!parsed.success) {
      const rendered = new Set<string>();
      renderNode(s.ctx, describe(apiActionBodySchemas[action], '', true, hints), values, {}, hints, rendered);
      const { errors, general } = issuesToErrors(s.ctx, parsed.error.issues, rendered);
      return render(web, res, l, action, { values, errors, general, status: 400, key });
    }
    try {
      await performAction(web.decisions, s.actor, l.state.id, action, parsed.data as Record<string, unknown>, key, l.changeId);
      res.redirect(303, `/staff/decisions/${encodeURIComponent(l.state.id)}?done=${action}`);
    } catch (e) {
      const r = e instanceof Refusal || e instanceof ApiError ? e : refusalFromTemporal(e);
      if (!r) throw e;
      if (r instanceof ApiError && r.code === 'INVALID_INPUT') {
        const issues = ((r.details as { issues?: Array<{ path: string; message: string }> })?.issues ?? []).map((i) => ({ code: 'custom', path: i.path.split('.'), message: i.message }));
        const rendered = new Set<string>();
        renderNode(s.ctx, describe(apiActionBodySchemas[action], '', true, hints), values, {}, hints, rendered);
        const { errors, general } = issuesToErrors(s.ctx, issues as never, rendered);
        return render(web, res, l, action, { values, errors, general, status: 400, key: randomUUID() });
      }
      const refusal = refusalBox(s.ctx, { code: r.code, message: r.message, legalBasis: r.legalBasis });
      await render(web, res, l, action, { values, errors: {}, general: [], refusal, status: r instanceof Refusal ? r.status : (r as ApiError).status, key: randomUUID() });
    }
  };
}

