// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries,
// no environment. The pure domain is bundled into that sandbox too, so the same rule covers it.
const tseslint = require('typescript-eslint');

const sandboxBanned = {
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not deterministic: use them in activities or the API.' },
    { group: ['@prisma/*', '**/lib/*', '**/activities/*', '**/api/*', 'express', 'pg', 'jose'], message: 'I/O belongs in activities or the API, not in workflow or domain code.' },
  ],
  paths: ['fs', 'path', 'crypto', 'os', 'child_process', 'http', 'net'].map((name) => ({ name, message: 'Not allowed in the sandbox.' })),
};

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'lib/generated/', 'coverage/', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'fault/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    rules: {
      'no-restricted-imports': ['error', sandboxBanned],
      'no-restricted-globals': ['error', { name: 'process', message: 'No environment in the sandbox.' }, { name: 'setTimeout', message: 'Use sleep() or condition().' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
);
