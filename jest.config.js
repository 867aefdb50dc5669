/**
 * Two tiers (STYLE.md §10): `unit` runs pure `*.spec.ts` files beside the source and never boots
 * Payload; `int-sqlite` and `int-postgres` run the same integration suite (`test/int/*.int.spec.ts`)
 * once per database, so every integration test is proven on both. `e2e` runs `npm start` for real
 * and drives the admin in Debian's Chromium.
 */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } } }] },
  // Stylesheets imported by admin components (ours and @payloadcms/ui's) mean nothing outside Next.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '\\.(css|scss)$': '<rootDir>/test/helpers/styleStub.cjs' },
  testPathIgnorePatterns: ['/node_modules/', '/.next/', '/data/'],
}

/** @type {import('jest').Config} */
export default {
  testTimeout: 120_000,
  // Agenda 6 leaves an un-unref'd timer per locked job (half the lock lifetime) and pg pools close lazily,
  // so after suites that run real jobs jest would wait minutes for the event loop to drain. Every suite
  // closes what it opened in afterAll; exiting when the run is over loses no result.
  forceExit: true,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'int-sqlite',
      testMatch: ['<rootDir>/test/int/**/*.int.spec.ts'],
      setupFiles: ['<rootDir>/test/helpers/useSqlite.ts'],
      globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
      globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.spec.ts'] },
    {
      ...base,
      displayName: 'int-postgres',
      testMatch: ['<rootDir>/test/int/**/*.int.spec.ts'],
      setupFiles: ['<rootDir>/test/helpers/usePostgres.ts'],
      globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
      globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
    },
  ],
}
