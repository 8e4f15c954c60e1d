import type { Request, Response } from 'express';
import {
  disposeOpinion,
  moderateOpinion,
  moderationQueue as queueOf,
  staffOpinions,
} from '../../app/decisions/opinions';
import { dispositionBody } from '../../app/decisions/schemas';
import { AppError as ApiError } from '../../app/errors';
import { Refusal } from '../../domain/refusals';
import { CAMPAIGN_MIN } from '../../lib/moderation';
import { DISPOSITIONS } from '../../lib/public-opinions';
import { label } from '../context';
import type { Web } from '../deps';
import { formValue } from '../forms';
import { attrs, html, type Html } from '../html';
import { sendPage } from '../layout';
import { timeEl } from '../portal/common';
import { paramId } from '../portal/decision';
import { orRefusalPage } from './errors';
import { staffOf, type Staff } from './session';

// The opinions of a decision for staff: campaign counts, the moderation of abusive content (a
// hide needs a reason, is logged, and the opinion stays counted), and the disposition of each
// opinion with its reason (Decree 713 Arts 18, 29(2)), optionally for a whole campaign at once.
// Plus the moderation queue across the decisions of the person's organs. Every read and command is
// app/decisions/opinions.ts, as for the API: `decision.read` to see the opinions (403 otherwise),
// `opinion.dispose` and `opinion.moderate` to act on them (the forms are offered to who may).

const RECEIPT = /^OP-[A-Z0-9]{5}-[A-Z0-9]{5}$/;
type OpinionRow = Awaited<ReturnType<typeof staffOpinions>>['opinions'][number];
interface Problem {
  receipt: string;
  message: string;
  legalBasis?: string;
}

function opinionItem(
  s: Staff,
  o: OpinionRow,
  size: number,
  problem: Problem | null,
  withDisposition: boolean,
  withModeration = true,
): Html {
  const { t } = s.ctx;
  const base = `/staff/decisions/${encodeURIComponent(o.decisionId)}/opinions/${encodeURIComponent(o.id)}`;
  const rid = o.id.toLowerCase();
  const err = problem?.receipt === o.id ? problem : null;
  const errId = `err-${rid}`;
  return html`<li id="o-${rid}">
    <p>
      <strong>${o.id}</strong> — ${timeEl(s.ctx, o.createdAt)} —
      ${o.paragraph ? t.paragraphN(o.paragraph) : t.wholeDraft}
      ${size >= CAMPAIGN_MIN ? html` — <strong>${t.campaignNote(size)}</strong>` : ''}${o.verifiedVia ? html` — ${t.verifiedVia(label(t.channels, o.verifiedVia))}` : ''}
    </p>
    <blockquote>${o.text}</blockquote>
    ${o.hiddenAt ? html`<p class="hidden-opinion">${t.hiddenByModeration(o.hiddenReason ?? '')} (${o.hiddenBy})</p>` : ''}
    <p>
      ${t.handling}:
      ${o.disposition ? html`<strong>${label(t.dispositions, o.disposition)}</strong> ${o.dispositionReason ?? ''}` : t.dispositions.pending}
    </p>
    ${err ? html`<p class="field-error" id="${errId}" role="alert">${err.message}${err.legalBasis ? html` — ${t.legalBasis}: ${err.legalBasis}` : ''}</p>` : ''}
    ${
      withDisposition && !o.disposition
        ? html`<form method="post" action="${base}/disposition">
            <input type="hidden" name="_csrf" value="${s.csrf}" /> <label for="d-${rid}">${t.handling}</label
            ><select id="d-${rid}" name="disposition" ${attrs({ 'aria-describedby': err ? errId : null })}>
              ${DISPOSITIONS.map((d) => html`<option value="${d}">${label(t.dispositions, d)}</option>`)}
            </select>
            <label for="r-${rid}">${t.reason}</label
            ><input
              type="text"
              id="r-${rid}"
              name="reason"
              maxlength="5000"
              ${attrs({ 'aria-describedby': err ? errId : null })}
            />
            ${size >= CAMPAIGN_MIN ? html`<input type="checkbox" id="c-${rid}" name="campaign" value="on" /> <label for="c-${rid}">${t.applyToCampaign(size)}</label>` : ''}
            <button type="submit">${t.recordDisposition}</button>
          </form>`
        : ''
    }
    ${
      withModeration
        ? html`<form method="post" action="${base}/moderation">
            <input type="hidden" name="_csrf" value="${s.csrf}" /><input
              type="hidden"
              name="action"
              value="${o.hiddenAt ? 'restore' : 'hide'}"
            />
            <label for="m-${rid}">${o.hiddenAt ? t.restoreReason : t.hideReason}</label
            ><input
              type="text"
              id="m-${rid}"
              name="reason"
              maxlength="2000"
              required
              ${attrs({ 'aria-describedby': err ? errId : null })}
            />
            <button type="submit" class="secondary">${o.hiddenAt ? t.restore : t.hide}</button>
          </form>`
        : ''
    }
  </li>`;
}

async function render(web: Web, res: Response, id: string, problem: Problem | null = null, status = 200) {
  const s = staffOf(res);
  const { t } = s.ctx;
  const v = await staffOpinions(s.actor, id, web.deps);
  const opinions = [...v.opinions].reverse();
  const body = html`<p><a href="/staff/decisions/${encodeURIComponent(id)}">${t.backToDecision(v.state.title)}</a></p>
    ${
      problem
        ? html`<div class="error-summary" role="alert">
            <h2>${t.thereIsAProblem}</h2>
            <p><a href="#o-${problem.receipt.toLowerCase()}">${problem.receipt}: ${problem.message}</a></p>
          </div>`
        : ''
    }
    <p>
      ${t.opinionCount(opinions.length, opinions.filter((o) => o.hiddenAt).length, opinions.filter((o) => !o.disposition).length)}
    </p>
    ${
      v.campaigns.length
        ? html`<h2>${t.campaigns}</h2>
            <ul>
              ${v.campaigns.map((c) => html`<li>${t.campaignNote(c.count)}: <q>${opinions.find((o) => o.textHash === c.textHash)?.text.slice(0, 120)}</q></li>`)}
            </ul>`
        : ''
    }
    <h2>${t.opinions}</h2>
    <ul class="opinions">
      ${opinions.map((o) => opinionItem(s, o, v.sizeOf(o.textHash), problem, v.mayDispose, v.mayModerate))}
    </ul>`;
  sendPage(res, s.ctx, { status, title: t.opinionsTitle(v.state.title), staff: s.frame, body });
}

export const staffOpinionsPage = (web: Web) => (req: Request, res: Response) =>
  orRefusalPage(res, () => render(web, res, paramId(req)));

export function submitDisposition(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const id = paramId(req);
      const receipt = String(req.params.receipt);
      if (!RECEIPT.test(receipt)) return render(web, res, id, null, 404);
      const reason = formValue(req.body, 'reason').trim();
      const parsed = dispositionBody.safeParse({
        disposition: formValue(req.body, 'disposition'),
        ...(reason ? { reason } : {}),
      });
      if (!parsed.success) return render(web, res, id, { receipt, message: s.ctx.t.reasonRequired }, 400);
      try {
        await disposeOpinion(
          s.actor,
          { decisionId: id, receipt, body: parsed.data, campaign: formValue(req.body, 'campaign') === 'on' },
          web.deps,
        );
        res.redirect(303, `/staff/decisions/${encodeURIComponent(id)}/opinions#o-${receipt.toLowerCase()}`);
      } catch (e) {
        if (!(e instanceof Refusal || e instanceof ApiError)) throw e;
        await render(
          web,
          res,
          id,
          { receipt, message: `${label(s.ctx.t.refusals, e.code)}: ${e.message}`, legalBasis: e.legalBasis },
          e.status,
        );
      }
    });
}

export function submitModeration(web: Web) {
  return (req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const id = paramId(req);
      const receipt = String(req.params.receipt);
      if (!RECEIPT.test(receipt)) return render(web, res, id, null, 404);
      const reason = formValue(req.body, 'reason').trim().slice(0, 2000);
      const action = formValue(req.body, 'action') === 'restore' ? 'restore' : 'hide';
      const back =
        formValue(req.body, 'back') === 'queue'
          ? '/staff/moderation'
          : `/staff/decisions/${encodeURIComponent(id)}/opinions#o-${receipt.toLowerCase()}`;
      if (!reason) return render(web, res, id, { receipt, message: s.ctx.t.moderationReasonRequired }, 400);
      try {
        await moderateOpinion(s.actor, { decisionId: id, receipt, action, reason }, web.deps);
        res.redirect(303, back);
      } catch (e) {
        if (!(e instanceof Refusal) || e.status !== 409) throw e;
        await render(web, res, id, { receipt, message: label(s.ctx.t.refusals, e.code) }, e.status);
      }
    });
}

export function moderationQueue(web: Web) {
  return (_req: Request, res: Response) =>
    orRefusalPage(res, async () => {
      const s = staffOf(res);
      const { t } = s.ctx;
      const q = await queueOf(s.actor, web.deps);
      const title = new Map(q.decisions.map((r) => [r.id, r.title]));
      const item = (o: OpinionRow) =>
        html`<li>
          <p>
            <a href="/staff/decisions/${encodeURIComponent(o.decisionId)}/opinions#o-${o.id.toLowerCase()}"
              >${title.get(o.decisionId)}</a
            >
          </p>
          <ul>
            ${opinionItem(s, o, 1, null, false)}
          </ul>
        </li>`;
      const body = q.decisions.length
        ? html`<p>${t.moderationIntro}</p>
            <h2>${t.toReview}</h2>
            <ul>
              ${q.visible.slice(0, 100).map(item)}
            </ul>
            <h2>${t.hiddenOpinions}</h2>
            <ul>
              ${q.hidden.map(item)}
            </ul>
            <h2>${t.moderationLog}</h2>
            <table>
              <caption>
                ${t.moderationLog}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.when}</th>
                  <th scope="col">${t.opinion}</th>
                  <th scope="col">${t.actionLabel}</th>
                  <th scope="col">${t.reason}</th>
                  <th scope="col">${t.who}</th>
                </tr>
              </thead>
              <tbody>
                ${q.log.map(
                  (l) =>
                    html`<tr>
                      <td>${timeEl(s.ctx, l.at)}</td>
                      <td>${l.opinion_id}</td>
                      <td>${l.action === 'hide' ? t.hide : t.restore}</td>
                      <td>${l.reason}</td>
                      <td>${l.by}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : html`<p>${t.noModerationRole}</p>`;
      sendPage(res, s.ctx, { title: t.moderation, staff: s.frame, body });
    });
}
