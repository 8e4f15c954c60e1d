import type { AppDeps } from '../../app/deps';

// The decision logic lives in app/decisions/. What other routers still import from here, until
// they move to the application layer too: the dependencies type and loading a decision's state.

export type DecisionDeps = Pick<AppDeps, 'prisma' | 'temporal' | 'templates' | 'taskQueue'>;
export { draftHash, loadState as loadDecision } from '../../app/decisions/load';
