/**
 * A minimal Payload app that is not ours, with the Mini CRM installed the way a Payload user would:
 * its own `users` auth collection (no roles), its own `posts` collection, its own database adapter
 * and migrations folder, its own admin/API routes, and `crmPlugin()` imported by package name.
 */
import type { CrmPluginOptions } from 'mini-crm'
import type { SanitizedConfig } from 'payload'

import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { crmPlugin } from 'mini-crm'
import { buildConfig } from 'payload'

export type HostConfigArgs = {
  /** `file:/…/host.db` or `postgres://…` */
  databaseUrl: string
  /** Folder the host's own generated migrations live in (its `migrationDir`). */
  migrationDir: string
  /** Where `generateImportMap` writes the host's import map; `baseDir` is its folder. */
  importMapFile: string
  plugin?: CrmPluginOptions
  secret: string
}

/** The host's routes differ from Payload's defaults on purpose: CRM links must follow them. */
export const HOST_ROUTES = { admin: '/cms', api: '/backend' } as const

export const buildHostConfig = ({ databaseUrl, importMapFile, migrationDir, plugin, secret }: HostConfigArgs): Promise<SanitizedConfig> =>
  buildConfig({
    admin: {
      importMap: { baseDir: importMapFile.replace(/\/[^/]+$/, ''), importMapFile },
      user: 'users',
    },
    collections: [
      {
        slug: 'users',
        // The host's own rules: signed-in users may manage users.
        access: { create: ({ req }) => Boolean(req.user), read: ({ req }) => Boolean(req.user) },
        auth: true,
        fields: [{ name: 'displayName', type: 'text' }],
      },
      {
        slug: 'posts',
        access: { read: () => true },
        fields: [{ name: 'title', type: 'text', required: true }],
      },
    ],
    db: databaseUrl.startsWith('file:')
      ? sqliteAdapter({ client: { url: databaseUrl }, migrationDir, push: false })
      : postgresAdapter({ migrationDir, pool: { connectionString: databaseUrl }, push: false }),
    debug: false,
    logger: { options: { level: process.env.TEST_LOG_LEVEL || 'warn' } },
    loggingLevels: { Forbidden: false, NotFound: false, ValidationError: false },
    plugins: [crmPlugin(plugin)],
    routes: HOST_ROUTES,
    secret,
    telemetry: false,
    typescript: { autoGenerate: false },
  })
