import type { Request, Response } from 'express';
import { CAMPAIGN_MIN } from '../../lib/moderation';
import { readPublicOpinions } from '../../app/public';
import { currentRecords, latest } from '../../lib/public-decision';
import { DISPOSITIONS, type OpinionReport } from '../../lib/public-opinions';
import { label, contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { clientOf, decisionNav, disclosedDecision, notFoundPage, timeEl } from './common';

// The opinions on a decision and how each was handled (Decree 713 Arts 18, 29(2)): totals by
// disposition, campaigns (identical texts, all counted), opinions hidden by moderation (counted,
// with the reason shown), and the feedback report. Texts appear once their window has closed
// (the visibility rule, domain/public.ts: app/public applies it).

export function dispositionSummary(ctx: Ctx, r: OpinionReport): Html {
  const { t } = ctx;
  return html`<table>
      <caption>
        ${t.dispositionSummary}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.handling}</th>
          <th scope="col">${t.count}</th>
        </tr>
      </thead>
      <tbody>
        ${DISPOSITIONS.map(
          (k) =>
            html`<tr>
              <th scope="row">${label(t.dispositions, k)}</th>
              <td>${r.byDisposition[k]}</td>
            </tr>`,
        )}
        <tr>
          <th scope="row">${t.dispositions.pending}</th>
          <td>${r.pending}</td>
        </tr>
        <tr>
          <th scope="row">${t.total}</th>
          <td>${r.total}</td>
        </tr>
        <tr>
          <th scope="row">${t.hiddenCount}</th>
          <td>${r.hidden}</td>
        </tr>
      </tbody>
    </table>
    ${
      r.campaigns.length
        ? html`<h3>${t.campaigns}</h3>
            <p>${t.campaignsIntro(CAMPAIGN_MIN)}</p>
            <ul>
              ${r.campaigns.map(
                (c) =>
                  html`<li>
                    ${t.campaignNote(c.count)}
                    ${c.text ? html`<q>${c.text}</q>` : html`<span class="hidden-opinion">${t.campaignHidden}</span>`} —
                    ${[...DISPOSITIONS, 'pending' as const]
                      .filter((k) => c.dispositions[k])
                      .map((k) => `${label(t.dispositions, k)}: ${c.dispositions[k]}`)
                      .join('; ')}
                  </li>`,
              )}
            </ul>`
        : ''
    }`;
}

function opinionList(ctx: Ctx, r: OpinionReport): Html {
  const { t } = ctx;
  const single = r.opinions.filter((o) => o.campaignSize < CAMPAIGN_MIN);
  if (!single.length) return html``;
  return html`<table>
    <caption>
      ${t.opinionsTable}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t.receiptNumber}</th>
        <th scope="col">${t.commentOn}</th>
        <th scope="col">${t.opinion}</th>
        <th scope="col">${t.handling}</th>
        <th scope="col">${t.reason}</th>
      </tr>
    </thead>
    <tbody>
      ${single.map(
        (o) =>
          html`<tr>
            <th scope="row">${o.receipt}</th>
            <td>${o.paragraph ? t.paragraphN(o.paragraph) : t.wholeDraft}</td>
            <td>
              ${o.hidden ? html`<span class="hidden-opinion">${t.hiddenByModeration(o.hidden.reason)}</span>` : o.text}
            </td>
            <td>${o.disposition ? label(t.dispositions, o.disposition) : t.dispositions.pending}</td>
            <td>${o.dispositionReason ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function opinionsPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const report = await readPublicOpinions(clientOf(web, req), { decisionId: d.state.id, now: ctx.now }, web.app);
    const comment = d.state.windows.filter((w) => w.kind === 'comment');
    const closed = comment.length > 0 && comment.every((w) => w.frozen);
    const feedback = latest(currentRecords(d.state, d.records), 'feedback-report');
    const body = html`${decisionNav(ctx, d.state, `/decisions/${encodeURIComponent(d.state.id)}/opinions`)}
      ${closed ? '' : html`<p class="notice">${t.opinionsDuringWindow(report.total)}</p>`}
      ${dispositionSummary(ctx, report)}
      ${
        feedback
          ? html`<section aria-labelledby="h-feedback">
              <h2 id="h-feedback">${t.feedbackReport}</h2>
              <p>${t.publishedOn} ${timeEl(ctx, feedback.at)}</p>
              <pre class="text">${(feedback.content as { report?: string }).report ?? ''}</pre>
            </section>`
          : ''
      }
      ${
        closed || report.opinions.length
          ? html`<section aria-labelledby="h-list">
              <h2 id="h-list">${t.opinionsAndHandling}</h2>
              ${opinionList(ctx, report)}
            </section>`
          : ''
      }
      <p><a href="/receipts">${t.lookUpYourReceipt}</a></p>`;
    sendPage(res, ctx, { title: t.opinionsTitle(d.state.title), body });
  };
}
