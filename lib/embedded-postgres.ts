import * as fs from 'node:fs';
import { freePort } from './temporal-dev';

// The fallback database for a laptop with no PostgreSQL: PGlite (PostgreSQL compiled to Wasm)
// persisted in a folder, served over the PostgreSQL wire protocol on localhost so every part of
// DueProcess reaches it exactly as it reaches a real server. PGlite is one session: the server
// accepts one connection, so the process using it must hold a pool of one (DUEPROCESS_DB_POOL_MAX=1).

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dataDir);
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 1 });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
