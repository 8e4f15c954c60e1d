import type { Request, Response } from 'express';
import { readDecisionFeed } from '../../app/public';
import type { Web } from '../deps';
import { escapeXml } from '../html';
import { clientOf } from '../portal/common';
import { baseUrl } from './open-data';

// An Atom 1.0 feed (RFC 4287) of the public decisions: one entry per decision, updated whenever
// its procedure moves, newest first. Every value is XML-escaped.

export function atomFeed(web: Web) {
  return async (req: Request, res: Response) => {
    const base = baseUrl(req);
    const decisions = await readDecisionFeed(clientOf(web, req), {}, web.app);
    const updated = decisions[0]?.updatedAt.toISOString() ?? new Date(0).toISOString();
    const host = new URL(base).hostname;
    const entries = decisions.map((d) => {
      const url = `${base}/decisions/${encodeURIComponent(d.id)}`;
      const summary = `${d.summary} — status: ${d.status}${d.currentStage ? `; stage: ${d.currentStage}` : ''}`;
      return `  <entry>
    <id>tag:${escapeXml(host)},2026:decision:${escapeXml(d.id)}</id>
    <title>${escapeXml(d.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <updated>${d.updatedAt.toISOString()}</updated>
    <published>${d.createdAt.toISOString()}</published>
    <summary>${escapeXml(summary)}</summary>
    <category term="${escapeXml(d.status)}"/>
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
