import type { Request, Response } from 'express';
import { nextPublicDate, publicDecisions, type StoredRecord } from '../../lib/public-decision';
import { label, contextOf } from '../context';
import type { Web } from '../deps';
import { html } from '../html';
import { sendPage } from '../layout';
import { stageName, statusName, timeEl } from './common';

// The catalog of this year's major decisions: each with its stage and the next public date.

export function catalogPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const asked = Number(req.query.year);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear + 1 ? asked : thisYear;
    const decisions = await publicDecisions(web.deps.prisma, { year });
    const ids = decisions.map((d) => d.row.id);
    const notices = await web.deps.prisma.stageRecord.findMany({ where: { decisionId: { in: ids }, kind: 'hearing-notice' }, orderBy: { at: 'asc' } });
    const organs = new Map((await web.deps.prisma.organ.findMany({ select: { id: true, name: true } })).map((o) => [o.id, o.name]));
    const rows = decisions.map(({ row, state }) => {
      const next = nextPublicDate(state, notices.filter((n) => n.decisionId === row.id) as StoredRecord[]);
      return html`<tr>
        <th scope="row"><a href="/decisions/${encodeURIComponent(row.id)}">${row.title}</a></th>
        <td>${organs.get(state.organId) ?? state.organId}</td>
        <td>${stageName(ctx, state.currentStage)}</td>
        <td>${statusName(ctx, state.status)}</td>
        <td>${next ? html`${label(t.publicDates, next.kind)}: ${timeEl(ctx, next.at)}` : t.noUpcomingDate}</td>
      </tr>`;
    });
    const body = html`<p>${t.catalogIntro}</p>
      ${rows.length
        ? html`<table><caption>${t.catalogCaption(year, rows.length)}</caption>
            <thead><tr><th scope="col">${t.title}</th><th scope="col">${t.organ}</th><th scope="col">${t.stage}</th><th scope="col">${t.status}</th><th scope="col">${t.nextPublicDate}</th></tr></thead>
            <tbody>${rows}</tbody></table>`
        : html`<p class="notice">${t.catalogEmpty(year)}</p>`}
      <p><a href="/?year=${year - 1}">${t.previousYear(year - 1)}</a></p>`;
    sendPage(res, ctx, { title: t.catalogTitle(year), body });
  };
}
