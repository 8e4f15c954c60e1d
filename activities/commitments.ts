import type { ActivityDeps } from './index';

// Activities of the commitment workflow (issue 3, part 5). Placeholder until the registry lands.
export function createCommitmentActivities(_deps: ActivityDeps) {
  return {};
}
