import { Router } from 'express';
import type { Auth } from '../auth';
import type { DecisionDeps } from '../decisions/service';

// Integrity records, disputes, eligibility and the credit-platform feed (issue 3, part 6).
// Placeholder until that part lands.
export function integrityRouter(_deps: DecisionDeps & { auth: Auth }): Router {
  return Router();
}
