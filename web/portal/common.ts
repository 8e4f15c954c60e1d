import type { Response } from 'express';
import type { DecisionState } from '../../domain/procedure';
import { label, type Ctx } from '../context';
import { html, type Html } from '../html';
import { sendPage } from '../layout';

// Pieces shared by the public pages.

export function notFoundPage(res: Response, ctx: Ctx): void {
  sendPage(res, ctx, { status: 404, title: ctx.t.notFoundTitle, body: html`<p>${ctx.t.notFoundText}</p><p><a href="/">${ctx.t.backToCatalog}</a></p>` });
}

export function timeEl(ctx: Ctx, at: number | string | Date): Html {
  const d = at instanceof Date ? at : new Date(at);
  return html`<time datetime="${d.toISOString()}">${ctx.date(d)}</time>`;
}

export const stageName = (ctx: Ctx, key: string | null) => (key ? label(ctx.t.stages, key) : ctx.t.noCurrentStage);
export const statusName = (ctx: Ctx, status: string) => label(ctx.t.statuses, status);

export function decisionNav(ctx: Ctx, state: DecisionState, current: string): Html {
  const id = encodeURIComponent(state.id);
  const links: Array<[string, string]> = [
    [`/decisions/${id}`, ctx.t.draftAndComment],
    [`/decisions/${id}/opinions`, ctx.t.opinionsAndHandling],
    ...(state.windows.some((w) => w.kind === 'survey') ? [[`/decisions/${id}/survey`, ctx.t.survey] as [string, string]] : []),
    ...(state.flags.hearingRequired ? [[`/decisions/${id}/hearing`, ctx.t.hearing] as [string, string]] : []),
    [`/decisions/${id}/record`, ctx.t.procedureRecord],
  ];
  return html`<nav aria-label="${ctx.t.decisionPages}" class="decision-nav"><ul>${links.map(([href, text]) =>
    html`<li>${href === current ? html`<a href="${href}" aria-current="page">${text}</a>` : html`<a href="${href}">${text}</a>`}</li>`,
  )}</ul></nav>`;
}

export function demoWarning(ctx: Ctx, state: DecisionState): Html {
  return state.template.statutory ? html`` : html`<p class="notice notice-warning">${ctx.t.nonStatutory}</p>`;
}
