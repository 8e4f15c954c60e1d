// Moved to lib/iso-times.ts (the application layer uses it too); kept for the decisions edge.
export { isoTimes } from '../lib/iso-times';
