/** Jest runs the TypeScript sources through ts-jest against a real MongoDB-wire server:
 *  the global setup starts one embedded FerretDB for the run unless MONGODB_URI is set. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Generous: a test waits for a state, never for a moment, and a loaded machine (a second run
  // beside this one, CPU stress) may take minutes to reach it. A hung test still fails.
  testTimeout: 600_000,
};
