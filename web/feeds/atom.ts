import type { Request, Response } from 'express';
import type { PrismaClient } from '../../lib/db';
import { publicDecisions } from '../../lib/public-decision';
import { escapeXml } from '../html';
import { baseUrl } from './open-data';

// An Atom 1.0 feed (RFC 4287) of the public decisions: one entry per decision, updated whenever
// its procedure moves, newest first. Every value is XML-escaped.

export function atomFeed(prisma: PrismaClient) {
  return async (req: Request, res: Response) => {
    const base = baseUrl(req);
    const decisions = (await publicDecisions(prisma)).sort((a, b) => b.row.updatedAt.getTime() - a.row.updatedAt.getTime()).slice(0, 100);
    const updated = decisions[0]?.row.updatedAt.toISOString() ?? new Date(0).toISOString();
    const host = new URL(base).hostname;
    const entries = decisions.map(({ row, state }) => {
      const url = `${base}/decisions/${encodeURIComponent(row.id)}`;
      const summary = `${state.summary} — status: ${state.status}${state.currentStage ? `; stage: ${state.currentStage}` : ''}`;
      return `  <entry>
    <id>tag:${escapeXml(host)},2026:decision:${escapeXml(row.id)}</id>
    <title>${escapeXml(state.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <updated>${row.updatedAt.toISOString()}</updated>
    <published>${row.createdAt.toISOString()}</published>
    <summary>${escapeXml(summary)}</summary>
    <category term="${escapeXml(state.status)}"/>
  </entry>`;
    });
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:${escapeXml(host)},2026:decisions</id>
  <title>DueProcess — major administrative decisions</title>
  <link rel="self" type="application/atom+xml" href="${escapeXml(base)}/feeds/decisions.atom"/>
  <link rel="alternate" type="text/html" href="${escapeXml(base)}/"/>
  <updated>${updated}</updated>
  <author><name>DueProcess</name></author>
${entries.join('\n')}
</feed>
`;
    res.type('application/atom+xml; charset=utf-8').send(xml);
  };
}
