import type { Request, RequestHandler } from 'express';
import { markSecurity } from '../lib/log';
import { escapeHtml } from './html';

// The portal's forms (comments, survey answers, hearing registrations) take no account and no
// token, so a hostile page could post them on a visitor's behalf (issue 9): every POST to a page
// (anything outside /api) must come from this site. A browser names where a form was posted from
// in `Origin` (or, when it sends none, `Referer`); a POST naming any other origin, or `null`
// (a sandboxed or referrer-less document), is refused with 403 and stores nothing. A request with
// neither header is not a browser's form post and passes (tools, tests). The trusted origins are
// DUEPROCESS_PUBLIC_ORIGIN, else the request's own (scheme and Host, through a trusted proxy).
//
// The JSON API's public POSTs are not forms: a browser cannot send them cross-origin with a JSON
// body without a CORS preflight, which api/security.ts refuses unless DUEPROCESS_CORS_ORIGINS
// lists the origin.

/** The trusted origins of a request: the configured ones, else the request's own. */
export const trustedOrigins =
  (configured: string[]) =>
  (req: Request): string[] =>
    configured.length ? configured : [`${req.protocol}://${req.host}`];

/** Where a browser says the POST came from: Origin, else the origin of Referer; null if it says nothing. */
function claimedOrigin(req: Request): string | null {
  const origin = req.get('Origin');
  if (origin !== undefined) return origin.trim();
  const referer = req.get('Referer');
  if (referer === undefined) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

const REFUSED_PAGE = (lang: string) => `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>无法提交 · Not accepted</title><link rel="stylesheet" href="/assets/portal.css"></head>
<body><main id="main">
<section lang="zh-CN"><h1>无法提交</h1><p>此表单来自其他网站，未被接受，也没有保存任何内容。请打开本网站的页面重新填写并提交。</p></section>
<section lang="en"><h1>Not accepted</h1><p>This form was sent from another website, so it was not accepted and nothing was stored. Please open the form on this site and send it again.</p></section>
<p><a href="/">首页 · Home</a></p>
</main></body></html>`;

export function sameOriginForms(trusted: (req: Request) => string[]): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path.startsWith('/api/') || req.path === '/api') return next();
    const from = claimedOrigin(req);
    if (from === null || trusted(req).includes(from)) return next();
    markSecurity(res, { code: 'CROSS_ORIGIN_FORM' });
    res.set('Connection', 'close');
    res
      .status(403)
      .type('html')
      .send(REFUSED_PAGE(req.query.lang === 'en' ? 'en' : 'zh-CN'));
  };
}
