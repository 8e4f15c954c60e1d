import express, { Router, type ErrorRequestHandler } from 'express';
import { redactForLog } from '../lib/log-redaction';
import { PORTAL_CSS } from './assets/portal-css';
import { contextOf } from './context';
import { webOf, type WebDeps } from './deps';
import { atomFeed } from './feeds/atom';
import { openDataRoutes } from './feeds/open-data';
import { html } from './html';
import { sendPage } from './layout';
import { catalogPage } from './portal/catalog';
import { commentPage, submitComment } from './portal/comment';
import { decisionPage } from './portal/decision';
import { hearingPage, submitRegistration } from './portal/hearing';
import { openDataPage } from './portal/open-data-page';
import { opinionsPage } from './portal/opinions';
import { receiptPage } from './portal/receipt';
import { recordPage } from './portal/record';
import { submitSurvey, surveyPage } from './portal/survey';
import { actionFormPage, submitActionForm } from './workspace/action-form';
import { staffDecisionPage } from './workspace/decision';
import { createDecisionForm, newDecisionPage, revisePage, submitRevision } from './workspace/drafts';
import { dashboardPage, inboxPage } from './workspace/inbox';
import { integrityPage, integrityRecordPage } from './workspace/integrity';
import { moderationQueue, staffOpinionsPage, submitDisposition, submitModeration } from './workspace/moderation';
import { login, loginPage, logout, requireCsrf, requireSession } from './workspace/session';

// The public portal and the staff workspace (issue 4): server-rendered pages mounted at "/",
// working without JavaScript, Simplified Chinese by default (?lang=en for English).

export function webRouter(appDeps: WebDeps): Router {
  const web = webOf(appDeps);
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2_000 });

  r.get('/assets/portal.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(PORTAL_CSS);
  });

  r.get('/', catalogPage(web));
  r.get('/decisions/:id', decisionPage(web));
  r.get('/decisions/:id/comment', commentPage(web));
  r.post('/decisions/:id/comment', form, submitComment(web));
  r.get('/decisions/:id/opinions', opinionsPage(web));
  r.get('/decisions/:id/survey', surveyPage(web));
  r.post('/decisions/:id/survey', form, submitSurvey(web));
  r.get('/decisions/:id/hearing', hearingPage(web));
  r.post('/decisions/:id/hearing', form, submitRegistration(web));
  r.get('/decisions/:id/record', recordPage(web));
  r.get('/receipts', receiptPage(web));
  r.get('/receipts/:number', receiptPage(web));
  r.get('/feeds/decisions.atom', atomFeed(web));
  const data = openDataRoutes(web);
  r.get('/open-data', openDataPage());
  r.get('/open-data/decisions.:format', data.decisions);
  r.get('/open-data/opinions.:format', data.opinions);
  r.get('/open-data/checkpoints.json', data.checkpoints);

  r.get('/staff/login', loginPage());
  r.post('/staff/login', form, login(web));
  const staff = Router();
  staff.use(form, requireSession(web), requireCsrf);
  staff.post('/logout', logout(web));
  staff.get('/', inboxPage(web));
  staff.get('/dashboard', dashboardPage(web));
  staff.get('/decisions/new', newDecisionPage(web));
  staff.post('/decisions/new', createDecisionForm(web));
  staff.get('/decisions/:id', staffDecisionPage(web));
  staff.get('/decisions/:id/revise', revisePage(web));
  staff.post('/decisions/:id/revise', submitRevision(web));
  staff.get('/decisions/:id/actions/:action', actionFormPage(web));
  staff.post('/decisions/:id/actions/:action', submitActionForm(web));
  staff.get('/decisions/:id/opinions', staffOpinionsPage(web));
  staff.post('/decisions/:id/opinions/:receipt/disposition', submitDisposition(web));
  staff.post('/decisions/:id/opinions/:receipt/moderation', submitModeration(web));
  staff.get('/moderation', moderationQueue(web));
  staff.get('/integrity', integrityPage(web));
  staff.get('/integrity/:id', integrityRecordPage(web));
  r.use('/staff', staff);

  const pageErrors: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent || req.path.startsWith('/api/')) return next(err);
    const status = (err as { status?: number; type?: string }).type === 'entity.too.large' ? 413 : 500;
    if (status === 500)
      web.log({
        msg: 'page failed',
        method: req.method,
        path: req.path,
        error: redactForLog(String((err as Error)?.stack ?? err), req),
      });
    const ctx = contextOf(req, res);
    sendPage(res, ctx, { status, title: ctx.t.errorTitle, body: html`<p>${ctx.t.errorText}</p>` });
  };
  r.use(pageErrors);
  return r;
}
