import type { Request, Response } from 'express';
import { publicClientOf, readDisclosedDecision, type PublicClient } from '../../app/public';
import type { DecisionState } from '../../domain/procedure';
import { Refusal } from '../../domain/refusals';
import type { PublicDecision } from '../../lib/public-decision';
import { label, type Ctx } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';

// Pieces shared by the public pages.

/** The public client of a page request: pseudonymous (app/public/client.ts). */
export const clientOf = (web: Web, req: Request): PublicClient => publicClientOf(web.app, req.ip);

/** The decision id of the path, or '' (found nowhere) when it is not one an id could be. */
export const paramId = (req: Request) => {
  const id = String(req.params.id);
  return /^[A-Za-z0-9_.:-]{1,100}$/.test(id) ? id : '';
};

/** The disclosed decision of the path, or null (the page answers 404) before disclosure. */
export async function disclosedDecision(web: Web, req: Request): Promise<PublicDecision | null> {
  try {
    return await readDisclosedDecision(clientOf(web, req), { decisionId: paramId(req) }, web.app);
  } catch (e) {
    if (e instanceof Refusal && e.code === 'DECISION_NOT_FOUND') return null;
    throw e;
  }
}

export function notFoundPage(res: Response, ctx: Ctx): void {
  sendPage(res, ctx, {
    status: 404,
    title: ctx.t.notFoundTitle,
    body: html`<p>${ctx.t.notFoundText}</p>
      <p><a href="/">${ctx.t.backToCatalog}</a></p>`,
  });
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
    ...(state.windows.some((w) => w.kind === 'survey')
      ? [[`/decisions/${id}/survey`, ctx.t.survey] as [string, string]]
      : []),
    ...(state.flags.hearingRequired ? [[`/decisions/${id}/hearing`, ctx.t.hearing] as [string, string]] : []),
    [`/decisions/${id}/record`, ctx.t.procedureRecord],
  ];
  return html`<nav aria-label="${ctx.t.decisionPages}" class="decision-nav">
    <ul>
      ${links.map(
        ([href, text]) =>
          html`<li>
            ${href === current ? html`<a href="${href}" aria-current="page">${text}</a>` : html`<a href="${href}">${text}</a>`}
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function demoWarning(ctx: Ctx, state: DecisionState): Html {
  return state.template.statutory ? html`` : html`<p class="notice notice-warning">${ctx.t.nonStatutory}</p>`;
}
