// The baseline for page reads: Express answering a fixed page, in its own process like the API.
import express from 'express';

const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Static</title></head><body><main><h1>Static page</h1><p>${'Baseline. '.repeat(200)}</p></main></body></html>`;
const app = express();
app.get('/', (_req, res) => {
  res.type('html').send(page);
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`static listening ${JSON.stringify(server.address())}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
