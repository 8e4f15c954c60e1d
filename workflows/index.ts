// The worker's workflow bundle entry. Everything exported here becomes a workflow type, so it
// exports workflows only.
export { decisionWorkflow } from './decision';
export { commitmentWorkflow } from './commitment';
