// Extensionless on purpose: jest loads globalSetup (which imports this file) without the `.js` mapper.
import type { ScratchDatabase, ScratchDbKind } from '../../scripts/lib/scratchDatabase'

import { createScratchDatabase, SCRATCH_POSTGRES_ADMIN_URL } from '../../scripts/lib/scratchDatabase'

export { dropStaleScratchDatabases as dropStaleTestDatabases } from '../../scripts/lib/scratchDatabase'

export type TestDbKind = ScratchDbKind
export type TestDatabase = ScratchDatabase

/** PostgreSQL server used by tests; trust auth on this machine. Override with TEST_POSTGRES_URL. */
export const TEST_POSTGRES_ADMIN_URL = SCRATCH_POSTGRES_ADMIN_URL

/** Which database this jest project runs on (set by test/helpers/use{Sqlite,Postgres}.ts). */
export const currentTestDb = (): TestDbKind => {
  const kind = process.env.TEST_DB
  if (kind === 'sqlite' || kind === 'postgres') return kind
  throw new Error('TEST_DB is not set: run integration tests through the int-sqlite / int-postgres jest projects')
}

/** A fresh, empty database of this jest project's kind for one test file (see `createScratchDatabase`). */
export const createTestDatabase = (label: string, kind: TestDbKind = currentTestDb(), adminUrl: string = TEST_POSTGRES_ADMIN_URL): Promise<TestDatabase> =>
  createScratchDatabase({ adminUrl, kind, label })
