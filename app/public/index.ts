// The public side of the application layer: every public command and query, each
// `(client, input, deps)`. Both edges call these and nothing below them: api/public (JSON) and
// web/portal, web/feeds (pages, feeds, open data).

export { publicClientOf, withPublicDefaults, type PublicClient } from './client';
export {
  readCatalogue,
  readDecisionFeed,
  readDisclosedDecision,
  readInForceText,
  type CatalogueEntry,
  type FeedEntry,
  type InForceText,
} from './decisions';
export { readPublicOpinions, readReceipt, readSurveyResults, type Receipt } from './opinions';
export { DECISION_FIELDS, OPINION_FIELDS, readOpenDataDecisions, readOpenDataOpinions } from './open-data';
export {
  registerForHearing,
  requestVerification,
  submitOpinion,
  submitSurveyAnswer,
  verificationRequired,
  type Submitted,
} from './submit';
export * from './schemas';
export { readChainHead, readLatestCheckpoint, readPublicChain } from './chain';
