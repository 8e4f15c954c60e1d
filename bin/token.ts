// Prints a signed bearer token for each demo user (or for the users named on the command line),
// signed with DUEPROCESS_JWT_SECRET or, locally, the generated dev secret the start command uses.
// LOCAL DEMO ONLY: these users exist only in the seeded demo directory.
import { authKey, issueToken } from '../api/auth';
import { jwtSecret } from '../lib/dev-secret';
import { DEMO_USERS } from '../prisma/demo';

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const users = wanted.length ? DEMO_USERS.filter((u) => wanted.includes(u.id)) : DEMO_USERS;
  const unknown = wanted.filter((w) => !DEMO_USERS.some((u) => u.id === w));
  if (unknown.length)
    throw new Error(`unknown demo user(s): ${unknown.join(', ')}; known: ${DEMO_USERS.map((u) => u.id).join(', ')}`);
  const key = authKey(jwtSecret());
  const asEnv = process.argv.includes('--env');
  for (const u of users) {
    const token = await issueToken(key, { sub: u.id, name: u.name, roles: u.roles, organ: u.organId });
    if (asEnv) console.log(`export TOKEN_${u.id.replace(/-/g, '_').toUpperCase()}=${token}`);
    else console.log(`${u.id.padEnd(18)} ${u.roles.join(',').padEnd(20)} ${token}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
