// Two projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// fresh PostgreSQL database from tests/setup/global-setup.ts (torn down in global-teardown.ts).
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
    },
  ],
};
