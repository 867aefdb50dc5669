import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/** A fresh database for one benchmark case; `cleanup` removes it (BENCHMARKS.md: start fresh, clean up). */
export const createBenchDatabase = async ({
  kind,
  label,
  postgresUrl,
}: {
  kind: 'postgres' | 'sqlite'
  label: string
  postgresUrl: string
}): Promise<{ cleanup: () => Promise<void>; url: string }> => {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), `crm-bench-${label}-`))
    return { cleanup: async () => rmSync(dir, { force: true, recursive: true }), url: `file:${path.join(dir, 'crm.db')}` }
  }
  const name = `crm_bench_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`.slice(0, 63)
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  return {
    cleanup: async () => {
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await client.end()
    },
    url: url.toString(),
  }
}
