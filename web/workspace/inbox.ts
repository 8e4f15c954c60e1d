import type { Request, Response } from 'express';
import { dashboard, inbox } from '../../app/decisions/queries';
import type { AssignmentItem } from '../../app/decisions/work';
import { STAGE_KEYS } from '../../domain/stages';
import { label } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { stageName, statusName, timeEl } from '../portal/common';
import { orRefusalPage } from './errors';
import { staffOf, type Staff } from './session';

// The inbox of the person signed in, and the officials' dashboard: both over the decisions the
// person may read (app/decisions/queries.ts; `decision.list`, so not for a market entity).

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
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t.decision}</th>
        <th scope="col">${t.stage}</th>
        <th scope="col">${t.assignee}</th>
        <th scope="col">${t.dueBy}</th>
        ${withAction ? html`<th scope="col">${t.todo}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (i) =>
          html`<tr>
            <th scope="row">
              <a href="/staff/decisions/${encodeURIComponent(i.decisionId)}">${i.title}</a
              >${i.changeId ? html` (${i.changeId})` : ''}
            </th>
            <td>${stageName(ctx, i.assignment.stage)}</td>
            <td>${i.assignment.name}</td>
            <td>
              ${i.dueAt ? timeEl(ctx, i.dueAt) : '—'}
              ${i.overdue ? html`<strong class="overdue">${t.overdue}</strong>` : ''}
            </td>
            ${withAction ? html`<td><a href="${actionHref(i.decisionId, FILE_ACTION[i.assignment.stage] ?? '', i.changeId)}">${label(t.actions, FILE_ACTION[i.assignment.stage] ?? '')}</a></td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function inboxPage(web: Web) {
  return (_req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const { t } = s.ctx;
      const { assigned: mine, organ } = await inbox(s.actor, web.deps, s.ctx.now);
      const body = html`<p>${t.inboxIntro(s.actor.roles.map((r) => label(t.roles, r)).join(', '))}</p>
        <section aria-labelledby="h-assigned">
          <h2 id="h-assigned">${t.assignedToYou}</h2>
          ${assignmentTable(s, mine, t.assignedToYou, true)}
        </section>
        <section aria-labelledby="h-organ">
          <h2 id="h-organ">${t.organWork}</h2>
          ${
            organ.length
              ? html`<table>
                  <caption>
                    ${t.organWork}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t.decision}</th>
                      <th scope="col">${t.stage}</th>
                      <th scope="col">${t.status}</th>
                      <th scope="col">${t.todo}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${organ.map(
                      (o) =>
                        html`<tr>
                          <th scope="row">
                            <a href="/staff/decisions/${encodeURIComponent(o.decisionId)}">${o.title}</a>
                          </th>
                          <td>${stageName(s.ctx, o.stage)}</td>
                          <td>${statusName(s.ctx, o.status)}</td>
                          <td>
                            <ul>
                              ${o.actions.map((a) => html`<li><a href="${actionHref(o.decisionId, a, null)}">${label(t.actions, a)}</a></li>`)}
                            </ul>
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p>${t.nothingForOrgan}</p>`
          }
        </section>`;
      sendPage(res, s.ctx, { title: t.inbox, staff: s.frame, body });
    });
}

export function dashboardPage(web: Web) {
  return (_req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const { t } = s.ctx;
      const { everything: all, states, open, overdue, recent: rows } = await dashboard(s.actor, web.deps, s.ctx.now);
      const byStage = STAGE_KEYS.map((k) => ({ k, n: open.filter((st) => st.currentStage === k).length }));
      const statuses = [...new Set(states.map((st) => st.status))].map((st) => ({
        st,
        n: states.filter((x) => x.status === st).length,
      }));
      const body = html`<p>${all ? t.dashboardAll : t.dashboardOrgan}</p>
        <table>
          <caption>
            ${t.byStage}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.stage}</th>
              <th scope="col">${t.count}</th>
            </tr>
          </thead>
          <tbody>
            ${byStage.map(
              (x) =>
                html`<tr>
                  <th scope="row">${stageName(s.ctx, x.k)}</th>
                  <td>${x.n}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <table>
          <caption>
            ${t.byStatus}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.status}</th>
              <th scope="col">${t.count}</th>
            </tr>
          </thead>
          <tbody>
            ${statuses.map(
              (x) =>
                html`<tr>
                  <th scope="row">${statusName(s.ctx, x.st)}</th>
                  <td>${x.n}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <section aria-labelledby="h-overdue">
          <h2 id="h-overdue">${t.overdueItems}</h2>
          ${assignmentTable(s, overdue, t.overdueItems, false)}
        </section>
        <section aria-labelledby="h-recent">
          <h2 id="h-recent">${t.recentDecisions}</h2>
          <ul>
            ${rows.map((r) => html`<li><a href="/staff/decisions/${encodeURIComponent(r.id)}">${r.title}</a> — ${statusName(s.ctx, r.status)}</li>`)}
          </ul>
        </section>`;
      sendPage(res, s.ctx, { title: t.dashboard, staff: s.frame, body });
    });
}
