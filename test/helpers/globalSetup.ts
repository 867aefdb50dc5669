import { dropStaleTestDatabases } from './testDb'

/**
 * Runs once per integration project. PostgreSQL must be reachable for BOTH projects' runs to be
 * meaningful, so an unreachable server fails the run loudly instead of skipping.
 */
export default async function globalSetup(): Promise<void> {
  await dropStaleTestDatabases()
}
