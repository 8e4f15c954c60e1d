import type { Request, Response } from 'express';
import type { DecisionState } from '../../domain/procedure';
import { TERMINAL_STATUSES } from '../../domain/procedure';
import { STAGE_KEYS } from '../../domain/stages';
import { label } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { stageName, statusName, timeEl } from '../portal/common';
import { staffOf, type Staff } from './session';
import { assignmentsOf, candidateDecisions, organWork, type AssignmentItem } from './work';

// The inbox of the person signed in, and the officials' dashboard.

const actionHref = (decisionId: string, action: string, changeId: string | null) =>
  `/staff/decisions/${encodeURIComponent(decisionId)}/actions/${action}${changeId ? `?change=${encodeURIComponent(changeId)}` : ''}`;

export const FILE_ACTION: Record<string, string> = {
  'expert-demonstration': 'file-expert-opinion',
  'risk-assessment': 'file-risk-report',
  'legality-review': 'file-legality-review',
  'fairness-review': 'file-fairness-review',
};

function assignmentTable(s: Staff, items: AssignmentItem[], caption: string, withAction: boolean): Html {
  const { ctx } = s;
  const { t } = ctx;
  if (!items.length) return html`<p>${t.nothingAssigned}</p>`;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${t.decision}</th><th scope="col">${t.stage}</th><th scope="col">${t.assignee}</th><th scope="col">${t.dueBy}</th>${withAction ? html`<th scope="col">${t.todo}</th>` : ''}</tr></thead>
    <tbody>${items.map(
      (i) => html`<tr><th scope="row"><a href="/staff/decisions/${encodeURIComponent(i.decisionId)}">${i.title}</a>${i.changeId ? html` (${i.changeId})` : ''}</th>
        <td>${stageName(ctx, i.assignment.stage)}</td><td>${i.assignment.name}</td>
        <td>${i.dueAt ? timeEl(ctx, i.dueAt) : '—'} ${i.overdue ? html`<strong class="overdue">${t.overdue}</strong>` : ''}</td>
        ${withAction ? html`<td><a href="${actionHref(i.decisionId, FILE_ACTION[i.assignment.stage] ?? '', i.changeId)}">${label(t.actions, FILE_ACTION[i.assignment.stage] ?? '')}</a></td>` : ''}</tr>`,
    )}</tbody></table>`;
}

export function inboxPage(web: Web) {
  return async (_req: Request, res: Response) => {
    const s = staffOf(res);
    const { t } = s.ctx;
    const states = await candidateDecisions(web.deps.prisma, s.actor);
    const officeIds = s.actor.offices.map((o) => o.id);
    const mine = states.flatMap((st) => assignmentsOf(st, officeIds, s.actor.id, s.ctx.now)).sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
    const organ = states.flatMap((st) => organWork(st, s.actor));
    const body = html`<p>${t.inboxIntro(s.actor.roles.map((r) => label(t.roles, r)).join(', '))}</p>
      <section aria-labelledby="h-assigned"><h2 id="h-assigned">${t.assignedToYou}</h2>${assignmentTable(s, mine, t.assignedToYou, true)}</section>
      <section aria-labelledby="h-organ"><h2 id="h-organ">${t.organWork}</h2>
      ${organ.length
        ? html`<table><caption>${t.organWork}</caption><thead><tr><th scope="col">${t.decision}</th><th scope="col">${t.stage}</th><th scope="col">${t.status}</th><th scope="col">${t.todo}</th></tr></thead><tbody>${organ.map(
            (o) => html`<tr><th scope="row"><a href="/staff/decisions/${encodeURIComponent(o.decisionId)}">${o.title}</a></th><td>${stageName(s.ctx, o.stage)}</td><td>${statusName(s.ctx, o.status)}</td>
              <td><ul>${o.actions.map((a) => html`<li><a href="${actionHref(o.decisionId, a, null)}">${label(t.actions, a)}</a></li>`)}</ul></td></tr>`,
          )}</tbody></table>`
        : html`<p>${t.nothingForOrgan}</p>`}</section>`;
    sendPage(res, s.ctx, { title: t.inbox, staff: s.frame, body });
  };
}

export function dashboardPage(web: Web) {
  return async (_req: Request, res: Response) => {
    const s = staffOf(res);
    const { t } = s.ctx;
    const all = s.actor.roles.includes('supervisor');
    const rows = await web.deps.prisma.decision.findMany({ where: all ? {} : { organId: { in: s.actor.actsFor ?? [s.actor.organId] } }, orderBy: { updatedAt: 'desc' } });
    const states = rows.map((r) => r.state as unknown as DecisionState);
    const open = states.filter((st) => !TERMINAL_STATUSES.includes(st.status));
    const byStage = STAGE_KEYS.map((k) => ({ k, n: open.filter((st) => st.currentStage === k).length }));
    const statuses = [...new Set(states.map((st) => st.status))].map((st) => ({ st, n: states.filter((x) => x.status === st).length }));
    const overdue = open.flatMap((st) => st.assignments.length ? assignmentsOf(st, st.assignments.map((a) => a.officeId ?? ''), '', s.ctx.now) : []).filter((i) => i.overdue);
    const body = html`<p>${all ? t.dashboardAll : t.dashboardOrgan}</p>
      <table><caption>${t.byStage}</caption><thead><tr><th scope="col">${t.stage}</th><th scope="col">${t.count}</th></tr></thead>
        <tbody>${byStage.map((x) => html`<tr><th scope="row">${stageName(s.ctx, x.k)}</th><td>${x.n}</td></tr>`)}</tbody></table>
      <table><caption>${t.byStatus}</caption><thead><tr><th scope="col">${t.status}</th><th scope="col">${t.count}</th></tr></thead>
        <tbody>${statuses.map((x) => html`<tr><th scope="row">${statusName(s.ctx, x.st)}</th><td>${x.n}</td></tr>`)}</tbody></table>
      <section aria-labelledby="h-overdue"><h2 id="h-overdue">${t.overdueItems}</h2>${assignmentTable(s, overdue, t.overdueItems, false)}</section>
      <section aria-labelledby="h-recent"><h2 id="h-recent">${t.recentDecisions}</h2><ul>${rows.slice(0, 30).map((r) => html`<li><a href="/staff/decisions/${encodeURIComponent(r.id)}">${r.title}</a> — ${statusName(s.ctx, r.status)}</li>`)}</ul></section>`;
    sendPage(res, s.ctx, { title: t.dashboard, staff: s.frame, body });
  };
}
