import { Router } from 'express';
import type { Auth } from '../auth';
import type { DecisionDeps } from '../decisions/service';

// The commitments and contracts registry (issue 3, part 5). Placeholder until that part lands.
export function commitmentsRouter(_deps: DecisionDeps & { auth: Auth }): Router {
  return Router();
}
