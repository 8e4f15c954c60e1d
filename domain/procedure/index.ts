// The procedure of one major decision as pure functions over plain state. The workflow, the API
// and the tests all use this module; it imports nothing from Temporal, Prisma or Node.
export * from './state';
export { createDecision, checkCreation, decisionIdSchema, flagsSchema, type CreateDecisionInput } from './create';
export { checkAction, applyAction, parsePayload, type ActionCommand, type CheckedAction } from './engine';
export {
  nextDeadlineAt,
  dueDeadlines,
  unresolvedDeadlines,
  resolveDeadline,
  fireDeadline,
  freezeWindow,
  windowForDeadline,
} from './timers';
export { publicationViolations, assertPublishable } from './invariants';
export {
  activeChange,
  changesOf,
  totalRevision,
  findChange,
  inForceAt,
  settleChange,
  type InForceAnswer,
} from './change';
export {
  targetOf,
  checkCommand,
  performCommand,
  liveProcedures,
  nextDeadlineAcross,
  unresolvedAcross,
  resolveAcross,
  firstDue,
  fireDue,
  type DueWork,
} from './runtime';
