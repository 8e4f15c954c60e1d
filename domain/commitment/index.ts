// Policy commitments and contracts with market entities (DOMAIN §5) as pure functions over plain
// state. The commitment workflow, the API and the tests all use this module; it imports nothing
// from Temporal, Prisma or Node.
export * from './state';
export * from './schemas';
export { createCommitment, checkRegistration, type RegisterCommitmentInput } from './create';
export {
  checkCommitmentAction,
  applyCommitmentAction,
  type CommitmentCommand,
  type CheckedCommitmentAction,
} from './actions';
export { pendingTimers, nextTimerAt, dueTimers, fireTimer, type CommitmentTimer, type TimerKind } from './timers';
export {
  DEFAULT_PERIODS,
  SME_MAX_TERM_DAYS,
  UTC_OFFSET_MINUTES,
  checkSmePaymentTerm,
  dueOnDelivery,
  effectiveTerm,
  endOfPeriod,
  harmsOfModification,
  harmsOfTermination,
  obligationStatus,
  periodMs,
} from './rules';
