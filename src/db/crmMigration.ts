import type { MigrateDownArgs as PgDownArgs, MigrateUpArgs as PgUpArgs } from '@payloadcms/db-postgres'
import type { MigrateDownArgs as SqliteDownArgs, MigrateUpArgs as SqliteUpArgs } from '@payloadcms/db-sqlite'

import * as postgresSideTableIndexes from '../migrations/postgres/20261124_201316_side_table_indexes.js'
import * as postgresSegments from '../migrations/postgres/20261130_183000_segments.js'
import * as postgresSegmentPerf from '../migrations/postgres/20261201_032500_segment_perf.js'
import * as sqliteSideTableIndexes from '../migrations/sqlite/20261124_201316_side_table_indexes.js'
import * as sqliteSegments from '../migrations/sqlite/20261130_183000_segments.js'
import * as sqliteSegmentPerf from '../migrations/sqlite/20261201_032500_segment_perf.js'

type Dialect = 'postgres' | 'sqlite'
type DownArgs<D extends Dialect> = D extends 'postgres' ? PgDownArgs : SqliteDownArgs
type UpArgs<D extends Dialect> = D extends 'postgres' ? PgUpArgs : SqliteUpArgs
type Step<D extends Dialect> = { down: (args: DownArgs<D>) => Promise<void>; up: (args: UpArgs<D>) => Promise<void> }

/**
 * The migrations Payload cannot generate from the collections (indexes written by hand), per dialect,
 * in order. Everything else of the CRM schema comes out of the host's own `payload migrate:create`,
 * since the plugin's collections are part of the host's config. Add each new hand-written migration here.
 */
const HAND_WRITTEN: { [D in Dialect]: Step<D>[] } = {
  postgres: [postgresSideTableIndexes, postgresSegments, postgresSegmentPerf],
  sqlite: [sqliteSideTableIndexes, sqliteSegments, sqliteSegmentPerf],
}

export type CrmMigration<D extends Dialect> = {
  down: (args: DownArgs<D>) => Promise<void>
  name: string
  up: (args: UpArgs<D>) => Promise<void>
}

/**
 * One migration holding the CRM's hand-written indexes (idempotent SQL), for a host app: add it
 * after the host's generated migrations (`prodMigrations: [...migrations, crmMigration('postgres')]`,
 * or a migration file `export const { down, up } = crmMigration('postgres')`).
 */
export const crmMigration = <D extends Dialect>(dialect: D): CrmMigration<D> => {
  const steps = HAND_WRITTEN[dialect] as Step<D>[]
  return {
    down: async (args) => {
      for (const step of [...steps].reverse()) await step.down(args)
    },
    name: 'mini_crm_hand_written_indexes',
    up: async (args) => {
      for (const step of steps) await step.up(args)
    },
  }
}
