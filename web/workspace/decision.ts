import type { Request, Response } from 'express';
import { ACTION_SPECS } from '../../domain/actions';
import type { DecisionState } from '../../domain/procedure';
import { staffDecision } from '../../app/decisions/queries';
import { API_ACTIONS } from '../../app/decisions/schemas';
import { assignmentsOf } from '../../app/decisions/work';
import { label } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { stageName, statusName, timeEl } from '../portal/common';
import { paramId } from '../portal/decision';
import { orRefusalPage } from './errors';
import { staffOf, type Staff } from './session';

// A decision as staff see it: where its procedure stands, its windows and assignments with their
// deadlines, the recent audit trail (refused attempts included), and the forms the person's roles
// may submit. Read through app/decisions (`decision.read`; 403 to anyone else). Every form is
// offered to every holder of its role; the authority and the gates decide, and say why.

function actionLinks(s: Staff, state: DecisionState, p: DecisionState, changeId: string | null): Html {
  const { t } = s.ctx;
  const mine = API_ACTIONS.filter((a) => ACTION_SPECS[a].roles.some((r) => s.actor.roles.includes(r)));
  if (!mine.length) return html`<p>${t.noFormsForRole}</p>`;
  const q = changeId ? `?change=${encodeURIComponent(changeId)}` : '';
  return html`<ul>
    ${mine.map((a) => {
      const spec = ACTION_SPECS[a];
      const current = spec.stage === p.currentStage;
      return html`<li>
        <a href="/staff/decisions/${encodeURIComponent(state.id)}/actions/${a}${q}">${label(t.actions, a)}</a
        >${spec.stage && spec.stage !== 'payload' ? html` — ${stageName(s.ctx, spec.stage)}` : ''}${current ? html` <strong>(${t.currentStage})</strong>` : ''}
      </li>`;
    })}
  </ul>`;
}

function procedureView(s: Staff, p: DecisionState): Html {
  const { ctx } = s;
  const { t } = ctx;
  const items = assignmentsOf(
    p,
    p.assignments.map((a) => a.officeId ?? ''),
    '',
    ctx.now,
  );
  return html`<table>
      <caption>
        ${t.stagesCaption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.stage}</th>
          <th scope="col">${t.status}</th>
          <th scope="col">${t.round}</th>
          <th scope="col">${t.passedOn}</th>
        </tr>
      </thead>
      <tbody>
        ${p.stages.map(
          (x) =>
            html`<tr>
              <th scope="row">${stageName(ctx, x.key)}</th>
              <td>${label(t.stageStatuses, x.status)}${x.notApplicable ? html`: ${x.notApplicable.rule}` : ''}</td>
              <td>${x.round}</td>
              <td>${x.passed ? html`${timeEl(ctx, x.passed.at)} (v${x.passed.draftVersion})` : '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      p.windows.length
        ? html`<table>
            <caption>
              ${t.publicWindows}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.window}</th>
                <th scope="col">${t.from}</th>
                <th scope="col">${t.until}</th>
                <th scope="col">${t.received}</th>
              </tr>
            </thead>
            <tbody>
              ${p.windows.map(
                (w) =>
                  html`<tr>
                    <th scope="row">${label(t.enums, w.kind)} (${w.round})</th>
                    <td>${timeEl(ctx, w.opensAt)}</td>
                    <td>${w.closesAt ? timeEl(ctx, w.closesAt) : '—'}</td>
                    <td>${w.frozen ? w.frozen.count : t.open}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }
    ${
      p.assignments.length
        ? html`<table>
            <caption>
              ${t.assignments}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.stage}</th>
                <th scope="col">${t.assignee}</th>
                <th scope="col">${t.status}</th>
                <th scope="col">${t.dueBy}</th>
              </tr>
            </thead>
            <tbody>
              ${p.assignments.map((a) => {
                const item = items.find((i) => i.assignment.id === a.id);
                return html`<tr>
                  <th scope="row">${stageName(ctx, a.stage)} (${a.round})</th>
                  <td>${a.name}${a.dissentingView ? html` — ${t.dissentingView}` : ''}</td>
                  <td>${label(t.assignmentStatuses, a.status)}</td>
                  <td>
                    ${item?.dueAt ? timeEl(ctx, item.dueAt) : '—'}
                    ${item?.overdue ? html`<strong class="overdue">${t.overdue}</strong>` : ''}
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`
        : ''
    }`;
}

export function staffDecisionPage(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const { t } = s.ctx;
      const { state, audit } = await staffDecision(s.actor, paramId(req), web.deps);
      const done = typeof req.query.done === 'string' ? req.query.done : null;
      const active = (state.changes ?? []).filter((c) => c.status === 'in-procedure');
      const id = encodeURIComponent(state.id);
      const body = html`${done ? html`<p class="notice notice-success" role="status">${t.actionAccepted(label(t.actions, done))}</p>` : ''}
        <dl class="facts">
          <dt>${t.status}</dt>
          <dd>${statusName(s.ctx, state.status)}</dd>
          <dt>${t.stage}</dt>
          <dd>${stageName(s.ctx, state.currentStage)}</dd>
          <dt>${t.draftVersion}</dt>
          <dd>${state.draft.version} <code>${state.draft.hash.slice(0, 19)}…</code></dd>
          <dt>${t.template}</dt>
          <dd>${state.template.name}</dd>
        </dl>
        ${state.returned ? html`<p class="notice notice-warning">${t.returnedAt(stageName(s.ctx, state.returned.stage))}: ${state.returned.reason}</p>` : ''}
        <ul>
          <li><a href="/decisions/${id}">${t.publicPage}</a></li>
          <li><a href="/staff/decisions/${id}/opinions">${t.opinionsAndModeration}</a></li>
          <li><a href="/staff/decisions/${id}/revise">${t.reviseDraft}</a></li>
        </ul>
        <section aria-labelledby="h-forms">
          <h2 id="h-forms">${t.formsForYou}</h2>
          ${actionLinks(s, state, state, null)}
        </section>
        ${active.map(
          (c) =>
            html`<section aria-labelledby="h-${c.id}">
              <h2 id="h-${c.id}">${label(t.changeTypes, c.type)} (${c.id})</h2>
              ${procedureView(s, c.procedure)}${actionLinks(s, state, c.procedure, c.id)}
            </section>`,
        )}
        <section aria-labelledby="h-procedure">
          <h2 id="h-procedure">${t.procedureRecord}</h2>
          ${procedureView(s, state)}
        </section>
        <section aria-labelledby="h-audit">
          <h2 id="h-audit">${t.auditTrail}</h2>
          <table>
            <caption>
              ${t.auditTrail}
            </caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">${t.when}</th>
                <th scope="col">${t.actionLabel}</th>
                <th scope="col">${t.outcome}</th>
                <th scope="col">${t.who}</th>
                <th scope="col">${t.legalBasis}</th>
              </tr>
            </thead>
            <tbody>
              ${audit.map(
                (e) =>
                  html`<tr>
                    <td>${e.seq}</td>
                    <td>${timeEl(s.ctx, e.at)}</td>
                    <td>${label(t.actions, e.action)}</td>
                    <td>${e.outcome}${e.code ? html` <code>${e.code}</code>` : ''}</td>
                    <td>${e.actorName ?? '—'}</td>
                    <td>${e.legalBasis ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>`;
      sendPage(res, s.ctx, { title: state.title, staff: s.frame, body });
    });
}
