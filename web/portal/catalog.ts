import type { Request, Response } from 'express';
import { readCatalogue } from '../../app/public';
import { label, contextOf } from '../context';
import type { Web } from '../deps';
import { html } from '../html';
import { sendPage } from '../layout';
import { clientOf, stageName, statusName, timeEl } from './common';

// The catalog of this year's major decisions: each with its stage and the next public date.

export function catalogPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const thisYear = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
    );
    const asked = Number(req.query.year);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear + 1 ? asked : thisYear;
    const entries = await readCatalogue(clientOf(web, req), { year }, web.app);
    const rows = entries.map(
      (e) =>
        html`<tr>
          <th scope="row"><a href="/decisions/${encodeURIComponent(e.id)}">${e.title}</a></th>
          <td>${e.organName}</td>
          <td>${stageName(ctx, e.currentStage)}</td>
          <td>${statusName(ctx, e.status)}</td>
          <td>${e.next ? html`${label(t.publicDates, e.next.kind)}: ${timeEl(ctx, e.next.at)}` : t.noUpcomingDate}</td>
        </tr>`,
    );
    const body = html`<p>${t.catalogIntro}</p>
      ${
        rows.length
          ? html`<table>
              <caption>
                ${t.catalogCaption(year, rows.length)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.title}</th>
                  <th scope="col">${t.organ}</th>
                  <th scope="col">${t.stage}</th>
                  <th scope="col">${t.status}</th>
                  <th scope="col">${t.nextPublicDate}</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
          : html`<p class="notice">${t.catalogEmpty(year)}</p>`
      }
      <p><a href="/?year=${year - 1}">${t.previousYear(year - 1)}</a></p>`;
    sendPage(res, ctx, { title: t.catalogTitle(year), body });
  };
}
