import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataDir } from './paths';

// LOCAL DEVELOPMENT ONLY. When DUEPROCESS_JWT_SECRET is not set, the start command and the token
// command share a random signing secret generated on first use in the git-ignored .data folder.
// Deployments set DUEPROCESS_JWT_SECRET (docker-compose refuses to start without it).
export function jwtSecret(): string {
  if (process.env.DUEPROCESS_JWT_SECRET) return process.env.DUEPROCESS_JWT_SECRET;
  const file = dataDir('dev-jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
