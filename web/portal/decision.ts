import type { Request, Response } from 'express';
import { windowOpen } from '../../domain/public';
import { latest, currentRecords, type PublicDecision } from '../../lib/public-decision';
import { contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { decisionNav, demoWarning, disclosedDecision, notFoundPage, stageName, statusName, timeEl } from './common';

// The pre-disclosure page (Decree 713 Art 15): the draft with numbered paragraphs, its
// explanation, how to comment, and the time left to comment, computed on the server.

export { paramId } from './common';

export function commentWindowSection(ctx: Ctx, d: PublicDecision): Html {
  const { t } = ctx;
  const round = d.state.stages.find((s) => s.key === 'public-participation')?.round ?? 1;
  const w =
    d.state.windows.find((x) => x.kind === 'comment' && x.round === round) ??
    d.state.windows.find((x) => x.kind === 'comment');
  if (!w) return html`<p class="notice">${t.notOpenForComment}</p>`;
  const id = encodeURIComponent(d.state.id);
  if (windowOpen(w, ctx.now) && w.closesAt) {
    return html`<div class="notice">
      <p>${t.commentOpenUntil} ${timeEl(ctx, w.closesAt)}</p>
      <p class="countdown">${ctx.remaining(w.closesAt - ctx.now)}</p>
      ${w.urgencyReason ? html`<p>${t.urgencyReason}: ${w.urgencyReason}</p>` : ''}
      <p><a class="button" href="/decisions/${id}/comment">${t.commentOnWholeDraft}</a></p>
    </div>`;
  }
  if (w.opensAt > ctx.now) return html`<p class="notice">${t.commentOpensAt} ${timeEl(ctx, w.opensAt)}</p>`;
  return html`<p class="notice">
    ${t.commentClosedOn} ${timeEl(ctx, w.closesAt ?? w.opensAt)} ${w.frozen ? t.opinionsReceived(w.frozen.count) : ''}
    <a href="/decisions/${id}/opinions">${t.seeHandling}</a>
  </p>`;
}

export function decisionHeader(ctx: Ctx, d: PublicDecision): Html {
  const { t } = ctx;
  return html`${demoWarning(ctx, d.state)}
    <dl class="facts">
      <dt>${t.organ}</dt>
      <dd>${d.organName}</dd>
      <dt>${t.status}</dt>
      <dd>${statusName(ctx, d.state.status)}</dd>
      <dt>${t.stage}</dt>
      <dd>${stageName(ctx, d.state.currentStage)}</dd>
      <dt>${t.draftVersion}</dt>
      <dd>${d.state.draft.version}</dd>
    </dl>`;
}

export function draftParagraphs(ctx: Ctx, d: PublicDecision, open: boolean): Html {
  const id = encodeURIComponent(d.state.id);
  return html`<ol class="paragraphs">
    ${d.paragraphs.map(
      (p, i) =>
        html`<li id="p-${i + 1}">
          <span class="paragraph-number">${ctx.t.paragraphN(i + 1)}</span>
          <p>${p}</p>
          ${open ? html`<p><a href="/decisions/${id}/comment?paragraph=${i + 1}">${ctx.t.commentOnParagraph(i + 1)}</a></p>` : ''}
        </li>`,
    )}
  </ol>`;
}

export function decisionPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const records = currentRecords(d.state, d.records);
    const predisclosure = latest(records, 'predisclosure');
    const howToComment = (predisclosure?.content as { howToComment?: string } | undefined)?.howToComment;
    const open = d.state.windows.some((w) => w.kind === 'comment' && windowOpen(w, ctx.now));
    const body = html`${decisionNav(ctx, d.state, `/decisions/${encodeURIComponent(d.state.id)}`)}
      ${decisionHeader(ctx, d)}
      <p>${d.state.summary}</p>
      <section aria-labelledby="h-window">
        <h2 id="h-window">${t.publicComment}</h2>
        ${commentWindowSection(ctx, d)}
        ${
          howToComment
            ? html`<h3>${t.howToComment}</h3>
                <p>${howToComment}</p>`
            : ''
        }
      </section>
      ${
        d.explanation
          ? html`<section aria-labelledby="h-explanation">
              <h2 id="h-explanation">${t.explanation}</h2>
              <pre class="text">${d.explanation}</pre>
            </section>`
          : ''
      }
      <section aria-labelledby="h-draft">
        <h2 id="h-draft">${t.draftText(d.state.draft.version)}</h2>
        ${draftParagraphs(ctx, d, open)}
      </section>`;
    sendPage(res, ctx, { title: d.state.title, body });
  };
}
