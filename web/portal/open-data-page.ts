import type { Request, Response } from 'express';
import { label, contextOf } from '../context';
import { html } from '../html';
import { sendPage } from '../layout';
import { DECISION_FIELDS, OPINION_FIELDS } from '../feeds/open-data';

// The open-data index: the datasets, their formats and the documented field list
// (docs/open-data.md holds the same list for re-users).

export function openDataPage() {
  return (req: Request, res: Response) => {
    const ctx = contextOf(req, res);
    const { t } = ctx;
    const table = (caption: string, fields: readonly string[]) =>
      html`<table>
        <caption>
          ${caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.fieldName}</th>
            <th scope="col">${t.meaning}</th>
          </tr>
        </thead>
        <tbody>
          ${fields.map(
            (f) =>
              html`<tr>
                <th scope="row"><code>${f}</code></th>
                <td>${label(t.openDataFields, f)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    const body = html`<p>${t.openDataIntro}</p>
      <ul>
        <li>
          ${t.datasetDecisions}: <a href="/open-data/decisions.json">JSON</a> ·
          <a href="/open-data/decisions.csv">CSV</a>
        </li>
        <li>
          ${t.datasetOpinions}: <a href="/open-data/opinions.json">JSON</a> · <a href="/open-data/opinions.csv">CSV</a>
        </li>
        <li>${t.atomFeed}: <a href="/feeds/decisions.atom">Atom</a></li>
        <li>
          ${t.datasetCheckpoints}: <a href="/open-data/checkpoints.json">JSON</a> ·
          <a href="/api/public/checkpoints/key">Ed25519</a>
        </li>
      </ul>
      <p>${t.csvRules}</p>
      <h2 id="fields">${t.fieldList}</h2>
      ${table(t.datasetDecisions, DECISION_FIELDS)}${table(t.datasetOpinions, OPINION_FIELDS)}`;
    sendPage(res, ctx, { title: t.openData, body });
  };
}
