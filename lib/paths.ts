import * as path from 'node:path';

// The repository root, whether code runs from source (tsx, jest) or from the build in dist/.
const here = path.resolve(__dirname, '..');
export const projectRoot = path.basename(here) === 'dist' ? path.dirname(here) : here;
export const fromRoot = (...parts: string[]) => path.join(projectRoot, ...parts);
