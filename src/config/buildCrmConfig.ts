import type { Config, SanitizedConfig } from 'payload'

import { buildConfig } from 'payload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { CrmEnv } from '../env.js'
import type { CrmPluginOptions } from '../types.js'

import { openBulkConnections } from '../bulk/index.js'
import { applyMigrations } from '../db/applyMigrations.js'
import { createDatabaseAdapter } from '../db/createDatabaseAdapter.js'
import { crmPlugin } from '../index.js'
import { loopbackOrigins } from './loopbackOrigins.js'

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type BuildCrmConfigArgs = {
  env: Pick<CrmEnv, 'database' | 'publicUrl' | 'secret' | 'storeCurrency' | 'storeTimezone'> & Partial<Pick<CrmEnv, 'gemini' | 'google'>>
  /** Extra Payload config merged in before the plugin runs (tests use it for logger settings). */
  extra?: Partial<Config>
  plugin?: CrmPluginOptions
}

/**
 * The whole application config: database from DATABASE_URL, the CRM plugin, admin settings.
 * `payload.config.ts` calls this with `readEnv()`; tests call it with their own database.
 */
export const buildCrmConfig = ({ env, extra = {}, plugin = {} }: BuildCrmConfigArgs): Promise<SanitizedConfig> =>
  buildConfig({
    admin: {
      importMap: { baseDir: rootDir, importMapFile: path.resolve(rootDir, 'app/(payload)/admin/importMap.js') },
      // Gravatar would need the internet; nothing at runtime may.
      avatar: 'default',
      meta: { titleSuffix: ' · Mini CRM' },
      user: 'users',
    },
    db: createDatabaseAdapter(env.database),
    graphQL: { schemaOutputFile: path.resolve(rootDir, 'schema.graphql') },
    secret: env.secret,
    serverURL: env.publicUrl,
    telemetry: false,
    typescript: { autoGenerate: false, outputFile: path.resolve(rootDir, 'payload-types.ts') },
    ...extra,
    // Payload adds serverURL itself; a loopback PUBLIC_URL also accepts the other loopback names.
    csrf: [...(extra.csrf ?? []), ...loopbackOrigins(env.publicUrl)],
    onInit: async (payload) => {
      await applyMigrations({ database: env.database, payload })
      // Before any other better-sqlite3 connection of this process opens and closes (connection.ts).
      openBulkConnections(payload)
      await extra.onInit?.(payload)
    },
    // STORE_TIMEZONE / STORE_CURRENCY become plugin options; an explicit plugin option wins.
    plugins: [
      ...(extra.plugins ?? []),
      crmPlugin({ google: env.google, jobsDashboard: true, storeCurrency: env.storeCurrency, storeTimezone: env.storeTimezone, ...plugin, ai: { ...env.gemini, ...plugin.ai } }),
    ],
  })
