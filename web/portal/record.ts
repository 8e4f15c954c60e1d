import type { Request, Response } from 'express';
import { readChainHead, readInForceText, readPublicOpinions } from '../../app/public';
import { splitParagraphs } from '../../domain/draft';
import type { PublicDecision } from '../../lib/public-decision';
import { label, contextOf, type Ctx } from '../context';
import type { Web } from '../deps';
import { html, type Html } from '../html';
import { sendPage } from '../layout';
import { clientOf, decisionNav, disclosedDecision, notFoundPage, stageName, timeEl } from './common';
import { decisionHeader } from './decision';
import { dispositionSummary } from './opinions';
import { publicStageSummaries, type Fact, type StageSummary } from './public-summary';

// The whole procedure record of a decision (Decree 713 Arts 32–33): each stage's public summary,
// how the opinions were handled, the text in force now and every version that was, and the
// change requests after adoption with their own procedure.

function factValue(ctx: Ctx, f: Fact): Html {
  const v = f.value;
  switch (v.t) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v.v) ? html`<time datetime="${v.v}">${v.v}</time>` : timeEl(ctx, v.v);
    case 'flag':
      return html`${v.v ? ctx.t.yes : ctx.t.no}`;
    case 'enum':
      return html`${label(ctx.t.enums, v.v)}`;
    case 'list':
      return html`<ul>
        ${v.v.map((x) => html`<li>${x}</li>`)}
      </ul>`;
    case 'tally':
      return html`<ul>
        ${v.v.map((x) => html`<li>${label(ctx.t.enums, x.key)}: ${x.n}</li>`)}
      </ul>`;
    case 'people':
      return html`<ul>
        ${v.v.map((p) => html`<li>${p.name} (${p.represents})</li>`)}
      </ul>`;
    default:
      return html`${String(v.v)}`;
  }
}

function stageSection(ctx: Ctx, s: StageSummary, prefix: string): Html {
  const { t } = ctx;
  return html`<section aria-labelledby="${prefix}-${s.key}">
    <h3 id="${prefix}-${s.key}">${stageName(ctx, s.key)} — ${label(t.stageStatuses, s.status)}</h3>
    ${s.notApplicableRule ? html`<p>${t.notApplicableBecause}: ${s.notApplicableRule}</p>` : ''}
    ${s.passedAt ? html`<p>${t.passedOn} ${timeEl(ctx, s.passedAt)} (${t.draftVersion} ${s.passedOnDraft})</p>` : ''}
    ${s.items.map(
      (item) =>
        html`<h4>${label(t.recordKinds, item.kind)} — ${timeEl(ctx, item.at)}</h4>
          ${
            item.facts.length
              ? html`<dl class="facts">
                  ${item.facts.map(
                    (f) =>
                      html`<dt>${label(t.facts, f.label)}</dt>
                        <dd>${factValue(ctx, f)}</dd>`,
                  )}
                </dl>`
              : ''
          }`,
    )}
  </section>`;
}

async function inForce(web: Web, req: Request, ctx: Ctx, d: PublicDecision): Promise<Html> {
  const { t } = ctx;
  if (d.state.publishedAt === null) return html`<p class="notice">${t.notYetPublished}</p>`;
  const { answer, text } = await readInForceText(clientOf(web, req), { decisionId: d.state.id, at: ctx.now }, web.app);
  const v = answer.version;
  const versions = d.state.lifecycle?.versions ?? [];
  return html`<p>
      <strong>${label(t.inForceStatuses, answer.status)}</strong
      >${v ? html` — ${t.versionFrom(v.version)} ${timeEl(ctx, v.from)}` : ''}
    </p>
    ${answer.suspension ? html`<p class="notice notice-warning">${t.suspendedSince} ${timeEl(ctx, answer.suspension.from)}</p>` : ''}
    ${
      text !== null
        ? html`<ol class="paragraphs">
            ${splitParagraphs(text).map(
              (p, i) =>
                html`<li>
                  <span class="paragraph-number">${t.paragraphN(i + 1)}</span>
                  <p>${p}</p>
                </li>`,
            )}
          </ol>`
        : ''
    }
    ${
      versions.length > 1
        ? html`<table>
            <caption>
              ${t.versionsInForce}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.draftVersion}</th>
                <th scope="col">${t.from}</th>
                <th scope="col">${t.until}</th>
              </tr>
            </thead>
            <tbody>
              ${versions.map(
                (x) =>
                  html`<tr>
                    <td>${x.version}</td>
                    <td>${timeEl(ctx, x.from)}</td>
                    <td>${x.until ? timeEl(ctx, x.until) : '—'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }`;
}

function changes(ctx: Ctx, d: PublicDecision): Html {
  const { t } = ctx;
  const list = d.state.changes ?? [];
  if (!list.length) return html``;
  return html`<section aria-labelledby="h-changes">
    <h2 id="h-changes">${t.changeRequests}</h2>
    ${list.map(
      (c) =>
        html`<section aria-labelledby="h-${c.id}">
          <h3 id="h-${c.id}">${label(t.changeTypes, c.type)} — ${label(t.changeStatuses, c.status)}</h3>
          <p>${t.requestedOn} ${timeEl(ctx, c.requestedAt)}. ${c.grounds.explanation}</p>
          ${publicStageSummaries(c.procedure, d.records, c.id)
            .filter((s) => s.status !== 'not-applicable')
            .map((s) => stageSection(ctx, s, c.id))}
        </section>`,
    )}
  </section>`;
}

export function recordPage(web: Web) {
  return async (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const d = await disclosedDecision(web, req);
    if (!d) return notFoundPage(res, ctx);
    const stages = publicStageSummaries(d.state, d.records);
    const report = await readPublicOpinions(clientOf(web, req), { decisionId: d.state.id, now: ctx.now }, web.app);
    const head = await readChainHead(clientOf(web, req), { decisionId: d.state.id }, web.app);
    const body = html`${decisionNav(ctx, d.state, `/decisions/${encodeURIComponent(d.state.id)}/record`)}
      ${decisionHeader(ctx, d)}
      <section aria-labelledby="h-in-force">
        <h2 id="h-in-force">${t.textInForce}</h2>
        ${await inForce(web, req, ctx, d)}
      </section>
      <section aria-labelledby="h-stages">
        <h2 id="h-stages">${t.procedureRecord}</h2>
        ${stages.map((s) => stageSection(ctx, s, 'stage'))}
      </section>
      <section aria-labelledby="h-opinions">
        <h2 id="h-opinions">${t.opinionsAndHandling}</h2>
        ${dispositionSummary(ctx, report)}
        <p><a href="/decisions/${encodeURIComponent(d.state.id)}/opinions">${t.seeHandling}</a></p>
      </section>
      ${changes(ctx, d)}
      ${head ? html`<p class="audit-chain-head"><a href="/open-data">${t.auditChainHead(head.seq, head.hash)}</a></p>` : ''}`;
    sendPage(res, ctx, { title: t.recordTitle(d.state.title), body });
  };
}
