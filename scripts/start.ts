/**
 * `npm start`: builds the admin once when no production build exists, then serves with
 * NODE_ENV=production. Zero configuration: SQLite under ./data and a generated secret.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const buildId = path.join(root, '.next', 'BUILD_ID')

if (!existsSync(buildId) || process.argv.includes('--rebuild')) {
  process.stderr.write('No production build found: building the admin (takes a minute or two)…\n')
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
