import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

type Exit = { code: null | number; stderr: string }

/** Runs `npm start`'s script (tsx scripts/start.ts) with exactly `env` on top of PATH, collecting stderr. */
const runStart = (env: Record<string, string>): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
      cwd: root,
      env: { HOME: os.homedir(), PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // A start that got past the check would build and serve: stop it, the test has failed anyway.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(guard)
      resolve({ code, stderr })
    })
  })

/**
 * `npm start` refuses a configuration that would sign sessions with a secret other servers cannot
 * share, or a stored secret it cannot use — before it spends minutes building the admin.
 */
describe('npm start secret checks', () => {
  let dataDir: string
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase('start_secrets')
  })

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-start-'))
  })

  afterEach(() => rmSync(dataDir, { force: true, recursive: true }))

  afterAll(async () => {
    await db?.cleanup()
  })

  it('should exit non-zero without PAYLOAD_SECRET on a shared database, saying how to set one, before building', async () => {
    const url = db.kind === 'postgres' ? db.url : 'postgres://postgres@127.0.0.1:5432/test'
    const { code, stderr } = await runStart({ CRM_DATA_DIR: dataDir, DATABASE_URL: url })
    expect(code).toBe(1)
    expect(stderr).toMatch(/PAYLOAD_SECRET is required with PostgreSQL under npm start/)
    expect(stderr).toMatch(/openssl rand -hex 32/)
    expect(stderr).not.toMatch(/building the admin/i)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(path.join(dataDir, '.payload-secret'))).toBe(false)
  })

  it('should exit non-zero on an empty stored secret, naming the file', async () => {
    writeFileSync(path.join(dataDir, '.payload-secret'), '')
    const env: Record<string, string> = { CRM_DATA_DIR: dataDir }
    if (db.kind === 'sqlite') env.DATABASE_URL = db.url
    else env.DATABASE_URL = `file:${path.join(dataDir, 'crm.db')}`
    const { code, stderr } = await runStart(env)
    expect(code).toBe(1)
    expect(stderr).toContain(`${path.join(dataDir, '.payload-secret')} is empty`)
    expect(stderr).not.toMatch(/building the admin/i)
  })
})
