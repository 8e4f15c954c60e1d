import type { Request, Response } from 'express';
import { AppError } from '../../app/errors';
import { listRecords, readRecord } from '../../app/integrity/records';
import { listRecordsQuery } from '../../app/integrity/schemas';
import { Refusal } from '../../domain/refusals';
import { INTEGRITY_KINDS } from '../../lib/integrity';
import { label } from '../context';
import type { Web } from '../deps';
import { selectField, textField } from '../forms';
import { html } from '../html';
import { sendPage } from '../layout';
import { timeEl } from '../portal/common';
import { forbidden, staffOf } from './session';

// The staff view of the integrity records (DOMAIN §5; `integrity.read`): filtered lists and each
// record with its evidence, disputes and corrections. Read through the same queries of
// app/integrity as GET /api/integrity-records, which decide who may read.

/** A refused read is a 403 page; anything else is not ours to answer. */
const refused = (e: unknown): e is Refusal => e instanceof Refusal && e.status === 403;

export function integrityPage(web: Web) {
  return async (req: Request, res: Response) => {
    const s = staffOf(res);
    const { t } = s.ctx;
    const kind =
      typeof req.query.kind === 'string' && (INTEGRITY_KINDS as readonly string[]).includes(req.query.kind)
        ? req.query.kind
        : undefined;
    const holder =
      typeof req.query.holder === 'string' && /^[A-Za-z0-9_.:@-]{1,100}$/.test(req.query.holder.trim())
        ? req.query.holder.trim()
        : undefined;
    const q = listRecordsQuery.parse({ limit: '100', ...(kind ? { kind } : {}), ...(holder ? { holder } : {}) });
    let list;
    try {
      list = await listRecords(s.actor, q, web.deps);
    } catch (e) {
      if (refused(e)) return forbidden(res, t.supervisorsOnly);
      throw e;
    }
    const { records, total } = list;
    const body = html`<form method="get" action="/staff/integrity">
        ${selectField(s.ctx, { name: 'kind', label: t.kind, value: kind ?? '', options: [{ value: '', label: t.all }, ...INTEGRITY_KINDS.map((k) => ({ value: k, label: label(t.integrityKinds, k) }))] })}
        ${textField(s.ctx, { name: 'holder', label: t.holder, value: holder ?? '' })}
        <p><button type="submit">${t.filter}</button></p>
      </form>
      <table>
        <caption>
          ${t.integrityCaption(total)}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.record}</th>
            <th scope="col">${t.kind}</th>
            <th scope="col">${t.organ}</th>
            <th scope="col">${t.holder}</th>
            <th scope="col">${t.rule}</th>
            <th scope="col">${t.legalBasis}</th>
            <th scope="col">${t.when}</th>
            <th scope="col">${t.counts}</th>
          </tr>
        </thead>
        <tbody>
          ${records.map(
            (r) =>
              html`<tr>
                <th scope="row"><a href="/staff/integrity/${encodeURIComponent(r.id)}">${r.id}</a></th>
                <td>${label(t.integrityKinds, r.kind)}</td>
                <td>${r.organName ?? r.organId}</td>
                <td>${r.holderName ?? '—'}</td>
                <td>${r.rule}</td>
                <td>${r.legalBasis}</td>
                <td>${timeEl(s.ctx, r.createdAt)}</td>
                <td>${r.counts ? t.yes : t.no}${r.disputes.length ? html` — ${t.disputes(r.disputes.length)}` : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    sendPage(res, s.ctx, { title: t.integrityRecords, staff: s.frame, body });
  };
}

export function integrityRecordPage(web: Web) {
  return async (req: Request, res: Response) => {
    const s = staffOf(res);
    const { t } = s.ctx;
    const id = String(req.params.id);
    let r = null;
    try {
      r = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await readRecord(s.actor, { id }, web.deps) : null;
    } catch (e) {
      if (refused(e)) return forbidden(res, t.supervisorsOnly);
      if (!(e instanceof AppError && e.status === 404)) throw e;
    }
    if (!r)
      return sendPage(res, s.ctx, {
        status: 404,
        title: t.notFoundTitle,
        staff: s.frame,
        body: html`<p>${t.notFoundText}</p>`,
      });
    const body = html`<p><a href="/staff/integrity">${t.integrityRecords}</a></p>
      <dl class="facts">
        <dt>${t.kind}</dt>
        <dd>${label(t.integrityKinds, r.kind)}</dd>
        <dt>${t.organ}</dt>
        <dd>${r.organName ?? r.organId}</dd>
        <dt>${t.holder}</dt>
        <dd>${r.holderName ?? '—'} ${r.officeId ? html`(${r.officeId})` : ''}</dd>
        <dt>${t.rule}</dt>
        <dd>${r.rule}</dd>
        <dt>${t.legalBasis}</dt>
        <dd>${r.legalBasis}</dd>
        <dt>${t.when}</dt>
        <dd>${timeEl(s.ctx, r.createdAt)}</dd>
        <dt>${t.decision}</dt>
        <dd>
          ${r.decisionId ? html`<a href="/staff/decisions/${encodeURIComponent(r.decisionId)}">${r.decisionId}</a>` : '—'}
        </dd>
        <dt>${t.counts}</dt>
        <dd>${r.counts ? t.yes : t.no}</dd>
        <dt>${t.evidence}</dt>
        <dd><pre class="text">${JSON.stringify(r.evidence, null, 2)}</pre></dd>
      </dl>
      <h2>${t.disputesTitle}</h2>
      <ul>
        ${r.disputes.map((d) => html`<li>${timeEl(s.ctx, d.filedAt)} — ${d.filedBy}: ${d.grounds} — <strong>${d.status}</strong>${d.reason ? html`: ${d.reason}` : ''}</li>`)}
      </ul>
      <h2>${t.corrections}</h2>
      <ul>
        ${r.corrections.map((c) => html`<li><a href="/staff/integrity/${encodeURIComponent(c.id)}">${c.id}</a> — ${c.rule}</li>`)}
      </ul>`;
    sendPage(res, s.ctx, { title: t.integrityRecordTitle(r.id), staff: s.frame, body });
  };
}
