/**
 * `npm start`: builds the admin when no production build exists or the sources are newer than it, then serves with
 * NODE_ENV=production. Zero configuration: SQLite under ./data and a generated secret.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { readEnv } from '../src/env.js'
import { readHeapGrowingPercent } from '../src/server/heapPolicy.js'

// Configuration errors (a missing PAYLOAD_SECRET with PostgreSQL, an unreadable stored secret, a bad
// DATABASE_URL) stop here, before a build of a minute or two, with the message alone.
try {
  readEnv({ ...process.env, NODE_ENV: 'production' })
  readHeapGrowingPercent()
} catch (err) {
  process.stderr.write(`Cannot start: ${(err as Error).message}\n`)
  process.exit(1)
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const buildId = path.join(root, '.next', 'BUILD_ID')

/** Newest modification time among the files the admin build is made from. */
const newestSourceMtime = (): number => {
  let newest = 0
  const visit = (target: string) => {
    if (!existsSync(target)) return
    const stat = statSync(target)
    if (stat.isDirectory()) for (const entry of readdirSync(target)) visit(path.join(target, entry))
    else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const entry of ['app', 'src', 'payload.config.ts', 'next.config.mjs', 'package-lock.json']) visit(path.join(root, entry))
  return newest
}

const hasBuild = existsSync(buildId)
const isStale = hasBuild && newestSourceMtime() > statSync(buildId).mtimeMs
if (!hasBuild || isStale || process.argv.includes('--rebuild')) {
  process.stderr.write(
    `${hasBuild ? 'Sources changed since the last build' : 'No production build found'}: building the admin (takes a minute or two)…\n`,
  )
  const result = spawnSync('npx', ['next', 'build', '--webpack'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NODE_OPTIONS: '--no-deprecation' },
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    process.stderr.write('Build failed; see the output above.\n')
    process.exit(result.status ?? 1)
  }
}

Object.assign(process.env, { NODE_ENV: 'production' })
process.env.NEXT_TELEMETRY_DISABLED = '1'
await import('../server.js')
