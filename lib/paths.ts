import * as path from 'node:path';

// The repository root, whether code runs from source (tsx, jest) or from the build in dist/.
const here = path.resolve(__dirname, '..');
export const projectRoot = path.basename(here) === 'dist' ? path.dirname(here) : here;
export const fromRoot = (...parts: string[]) => path.join(projectRoot, ...parts);

/** Local state of the start command (Temporal SQLite, PGlite, dev secret); git-ignored. */
export const dataDir = (...parts: string[]) =>
  path.join(process.env.DUEPROCESS_DATA_DIR ?? fromRoot('.data'), ...parts);
