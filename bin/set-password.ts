// `npm run set-password -- <userId>`: sets a staff member's workspace password (argon2id).
// The password comes from DUEPROCESS_PASSWORD or from standard input: typed at a terminal it is
// not echoed; piped, the first line is used. It is never printed or logged.
import { loadConfig, requireSetting } from '../lib/config';
import { createPrisma, runtimePool } from '../lib/db';
import { checkPasswordStrength, setPassword } from '../lib/passwords';

function fromTerminal(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function fromPipe(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.split(/\r?\n/)[0] ?? '';
}

async function readPassword(): Promise<string> {
  if (process.env.DUEPROCESS_PASSWORD) return process.env.DUEPROCESS_PASSWORD;
  if (!process.stdin.isTTY) return fromPipe();
  const first = await fromTerminal('New password: ');
  const again = await fromTerminal('Repeat it: ');
  if (first !== again) throw new Error('the two passwords differ; nothing was changed');
  return first;
}

async function main() {
  const userId = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!userId)
    throw new Error('usage: npm run set-password -- <userId>   (password from DUEPROCESS_PASSWORD or standard input)');
  const url = requireSetting(loadConfig(), 'DATABASE_URL');
  const password = await readPassword();
  const problem = checkPasswordStrength(password);
  if (problem) throw new Error(`${problem}; nothing was changed`);
  const pool = runtimePool(url, 1);
  const prisma = createPrisma(pool);
  try {
    await setPassword(prisma, userId, password);
    console.log(`password set for ${userId}`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
