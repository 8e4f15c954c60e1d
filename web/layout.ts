import type { Response } from 'express';
import type { Ctx } from './context';
import { html, type Html } from './html';

// The page frame: language, skip link, landmarks (banner, navigation, main, contentinfo), the
// language switch, and the stylesheet served from /assets (no inline script or style anywhere).

export interface StaffFrame {
  name: string;
  csrf: string;
  supervisor: boolean;
}

export interface PageOptions {
  title: string;
  body: Html;
  status?: number;
  staff?: StaffFrame | null;
}

function nav(ctx: Ctx, staff: StaffFrame | null | undefined): Html {
  const { t } = ctx;
  if (staff) {
    return html`<nav aria-label="${t.staffNav}">
      <ul>
        <li><a href="/staff">${t.inbox}</a></li>
        <li><a href="/staff/dashboard">${t.dashboard}</a></li>
        <li><a href="/staff/decisions/new">${t.newDecision}</a></li>
        <li><a href="/staff/moderation">${t.moderation}</a></li>
        ${staff.supervisor ? html`<li><a href="/staff/integrity">${t.integrityRecords}</a></li>` : ''}
        <li><a href="/">${t.publicPortal}</a></li>
      </ul>
      <form method="post" action="/staff/logout" class="inline">
        <input type="hidden" name="_csrf" value="${staff.csrf}" /> <span>${t.signedInAs(staff.name)}</span>
        <button type="submit">${t.signOut}</button>
      </form>
    </nav>`;
  }
  return html`<nav aria-label="${t.mainNav}">
    <ul>
      <li><a href="/">${t.catalog}</a></li>
      <li><a href="/receipts">${t.receiptLookup}</a></li>
      <li><a href="/open-data">${t.openData}</a></li>
      <li><a href="/feeds/decisions.atom">${t.atomFeed}</a></li>
      <li><a href="/staff">${t.staffWorkspace}</a></li>
    </ul>
  </nav>`;
}

export function renderPage(ctx: Ctx, o: PageOptions): string {
  const { t } = ctx;
  const other = ctx.lang === 'en' ? 'zh-CN' : 'en';
  const page = html`<!DOCTYPE html>
    <html lang="${ctx.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} — ${t.siteName}</title>
        <link rel="stylesheet" href="/assets/portal.css" />
        <link rel="alternate" type="application/atom+xml" title="${t.atomFeed}" href="/feeds/decisions.atom" />
      </head>
      <body>
        <a class="skip-link" href="#main">${t.skipToMain}</a>
        <header class="site-header">
          <p class="site-name"><a href="${o.staff ? '/staff' : '/'}">${t.siteName}</a></p>
          ${nav(ctx, o.staff)}
          <p class="lang-switch">
            <a href="${ctx.switchUrl(other)}" lang="${other}" hreflang="${other}"
              >${other === 'en' ? 'English' : '中文'}</a
            >
          </p>
        </header>
        <main id="main" tabindex="-1">
          <h1>${o.title}</h1>
          ${o.body}
        </main>
        <footer class="site-footer"><p>${t.footer}</p></footer>
      </body>
    </html>`;
  return page.value;
}

export function sendPage(res: Response, ctx: Ctx, o: PageOptions): void {
  res
    .status(o.status ?? 200)
    .type('html')
    .send(renderPage(ctx, o));
}
