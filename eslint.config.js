// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries,
// no environment. The pure domain is bundled into that sandbox too, so the same rule covers it.
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');

// The layers (README, Architecture): web/ and api/ are two front ends of the application layer
// app/, which alone talks to lib/ (PostgreSQL, Temporal) for them; lib/ serves every layer above
// it and imports none of them; domain/ is pure; server/ (the composition roots) imports them all
// and nothing imports it but the entry points (bin/) and the tests.

const sandboxBanned = {
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not deterministic: use them in activities or the API.' },
    {
      group: ['@prisma/*', '**/lib/*', '**/activities/*', '**/api/*', 'express', 'pg', 'jose'],
      message: 'I/O belongs in activities or the API, not in workflow or domain code.',
    },
  ],
  paths: ['fs', 'path', 'crypto', 'os', 'child_process', 'http', 'net'].map((name) => ({
    name,
    message: 'Not allowed in the sandbox.',
  })),
};

// Relative imports of a top-level folder of the project, from a file at any depth below another
// top-level folder (`../api/x`, `../../api/x`).
const layer = (dir) => `^(\\.\\./)+${dir}(/|$)`;
const bans = {
  api: { regex: layer('api'), message: 'The HTTP API is a front end: share code through app/, not by importing api/.' },
  web: {
    regex: layer('web'),
    message: 'The web pages are a front end: share code through app/, not by importing web/.',
  },
  app: { regex: layer('app'), message: 'lib/ is below the application layer: it must not import app/.' },
  server: { regex: layer('server'), message: 'server/ composes the layers; no layer imports it.' },
  database: [
    {
      regex: '^(\\.\\./)+lib/(db|db-pool|generated)(/|$)',
      message: 'web/ reaches PostgreSQL only through the application layer app/.',
    },
    { group: ['@prisma/*', 'pg'], message: 'web/ reaches PostgreSQL only through the application layer app/.' },
  ],
};
const layering = [
  { files: ['web/**/*.ts'], patterns: [bans.api, bans.server, ...bans.database] },
  { files: ['api/**/*.ts'], patterns: [bans.web, bans.server] },
  { files: ['app/**/*.ts'], patterns: [bans.api, bans.web, bans.server] },
  { files: ['lib/**/*.ts'], patterns: [bans.app, bans.api, bans.web, bans.server] },
].map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } }));

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'lib/generated/', 'coverage/', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // No import cycles in the project's own code (type-only imports do not count: they vanish at
  // run time). Resolved like TypeScript does, through tsconfig.json.
  {
    plugins: { 'import-x': importX },
    settings: {
      // Without these two, import-x does not parse the .ts files it resolves, and sees no cycle.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${__dirname}/tsconfig.json` })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'fault/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...layering,
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    rules: {
      'no-restricted-imports': ['error', sandboxBanned],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No environment in the sandbox.' },
        { name: 'setTimeout', message: 'Use sleep() or condition().' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
);
