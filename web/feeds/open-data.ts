import type { NextFunction, Request, Response } from 'express';
import {
  DECISION_FIELDS,
  OPINION_FIELDS,
  readLatestCheckpoint,
  readOpenDataDecisions,
  readOpenDataOpinions,
} from '../../app/public';
import { toCsv, type CsvValue } from '../../lib/csv';
import type { Web } from '../deps';
import { clientOf } from '../portal/common';

// Open data: every public decision and every opinion the public may see (the visibility rule:
// app/public), as JSON and CSV. The fields are documented in docs/open-data.md; their names and
// meanings are a contract.

export { DECISION_FIELDS, OPINION_FIELDS };

type Row<F extends readonly string[]> = Record<F[number], CsvValue>;
export const baseUrl = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

function send<F extends readonly string[]>(
  res: Response,
  name: string,
  format: string,
  fields: F,
  rows: Array<Row<F>>,
): void {
  if (format === 'csv') {
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="${name}.csv"`,
      })
      .send(Buffer.from(toCsv(fields, rows), 'utf8'));
    return;
  }
  const json = rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
  );
  res.json({
    dataset: name,
    generatedAt: new Date().toISOString(),
    fields,
    documentation: '/open-data#fields',
    records: json,
  });
}

const FORMATS = ['json', 'csv'];

export function openDataRoutes(web: Web) {
  return {
    decisions: async (req: Request, res: Response, next: NextFunction) =>
      FORMATS.includes(String(req.params.format))
        ? send(
            res,
            'decisions',
            String(req.params.format),
            DECISION_FIELDS,
            await readOpenDataDecisions(clientOf(web, req), { base: baseUrl(req) }, web.app),
          )
        : next(),
    opinions: async (req: Request, res: Response, next: NextFunction) =>
      FORMATS.includes(String(req.params.format))
        ? send(
            res,
            'opinions',
            String(req.params.format),
            OPINION_FIELDS,
            await readOpenDataOpinions(clientOf(web, req), {}, web.app),
          )
        : next(),
    /** The latest signed checkpoint of every audit chain's head (the key: /api/public/checkpoints/key). */
    checkpoints: async (req: Request, res: Response) => {
      res.json({
        dataset: 'checkpoints',
        generatedAt: new Date().toISOString(),
        key: '/api/public/checkpoints/key',
        latest: await readLatestCheckpoint(clientOf(web, req), {}, web.app),
      });
    },
  };
}
