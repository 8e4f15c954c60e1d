// Two projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// fresh PostgreSQL database from tests/setup/global-setup.ts (torn down in global-teardown.ts),
// and a test timeout that fits a loaded two-core CI machine (tests/setup/timeout.ts). Unit tests
// are synchronous: jest's timeout never applies to them.
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: [
        '<rootDir>/tests/workflow/**/*.test.ts',
        '<rootDir>/tests/api/**/*.test.ts',
        '<rootDir>/tests/replay/**/*.test.ts',
        '<rootDir>/tests/durability/**/*.test.ts',
        '<rootDir>/tests/start/**/*.test.ts',
        '<rootDir>/tests/security/**/*.test.ts',
        '<rootDir>/tests/browser/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/tests/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
      // Not `testTimeout`: jest 30 ignores it inside `projects` (it reads only the global one).
      setupFilesAfterEnv: ['<rootDir>/tests/setup/timeout.ts'],
    },
  ],
};
