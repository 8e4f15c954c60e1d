import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_USERS } from '../prisma/demo';
import type { PrismaClient } from './db';
import { setPassword } from './passwords';
import { dataDir } from './paths';

// LOCAL DEMO ONLY. The start command, which seeds the demo directory, gives every demo user who
// has no password yet one shared password, generated on first use and kept in the git-ignored
// .data folder (mode 0600), and prints it. Nothing else sets passwords except
// `npm run set-password`; a real deployment loads its own directory and never runs this.
export function demoPassword(): string {
  const file = dataDir('demo-password');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `demo-${randomBytes(9).toString('base64url')}`, { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export async function seedDemoPasswords(prisma: PrismaClient): Promise<string> {
  const password = demoPassword();
  const existing = new Set(
    (
      await prisma.staffCredential.findMany({
        where: { userId: { in: DEMO_USERS.map((u) => u.id) } },
        select: { userId: true },
      })
    ).map((c) => c.userId),
  );
  for (const u of DEMO_USERS) if (!existing.has(u.id)) await setPassword(prisma, u.id, password);
  return password;
}
