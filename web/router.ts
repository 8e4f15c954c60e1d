import { Router } from 'express';
import type { AppDeps } from '../api/app';

// The public portal and the staff workspace (issue 4): server-rendered pages mounted at "/".
// Placeholder until they land.
export function webRouter(_deps: AppDeps): Router {
  return Router();
}
