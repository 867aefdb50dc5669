import type { ChildProcess } from 'node:child_process'

import type { TestDatabase } from '../helpers/testDb.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'

import { freePort } from '../helpers/e2eServer.js'
import { waitFor } from '../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb } from '../helpers/testDb.js'

const SERVER_SCRIPT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../helpers/importServerProcess.ts')
const ROWS = 120_000
const BAD_ROWS = new Set([7, 1_500, 60_001, 119_999])

type ImportDoc = { attempts: number; created: number; errorSummary: null | string; errors: { row: number }[]; failed: number; rows: number; status: string; unchanged: number; updated: number }

const csv = (): string => {
  const lines = ['email,name,visits']
  for (let row = 1; row <= ROWS; row += 1) lines.push(BAD_ROWS.has(row) ? `broken-${row},Bad,1` : `u${row}@restart.test,User ${row},${row % 9}`)
  return `${lines.join('\n')}\n`
}

/**
 * A server process killed (SIGKILL) in the middle of an async import, then started again on the
 * same database: the import resumes after its last checkpoint and completes, every row accounted
 * for exactly once in the counts, every good row written.
 */
describe(`async import across a server restart (${currentTestDb()})`, () => {
  let db: TestDatabase
  let port: number
  let child: ChildProcess | undefined
  let output = ''
  const url = () => `http://127.0.0.1:${port}`

  const start = async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CRM_IMPORT_BATCH_ROWS: '1000',
      CRM_IMPORT_LOCK_MS: '3000',
      DATABASE_URL: db.url,
      PORT: String(port),
      TEST_SECRET: 'restart-test-secret-0123456789',
    }
    delete env.NODE_OPTIONS // jest's --experimental-vm-modules is not for the server
    const proc = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    output = ''
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitFor('the server listens', () => {
      if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}):\n${output}`)
      return output.includes('listening ')
    }, 120_000)
    child = proc
  }
  const kill = async () => {
    const proc = child!
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGKILL')
    await exited
    child = undefined
  }

  beforeAll(async () => {
    db = await createTestDatabase('import_restart')
    port = await freePort()
  })

  afterAll(async () => {
    if (child) await kill()
    await db?.cleanup()
  })

  it('should resume an import after the server is killed mid-import, never leaving it half-done', async () => {
    await start()
    const registered = await fetch(`${url()}/api/users/first-register`, {
      body: JSON.stringify({ email: 'admin@restart.test', password: 'restart-pass-123' }),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
    })
    expect(registered.status).toBe(200)
    const { token } = (await registered.json()) as { token: string }
    const headers = { authorization: `JWT ${token}` }
    const res = await fetch(`${url()}/api/customers/import`, { body: csv(), headers: { ...headers, 'content-type': 'text/csv', prefer: 'respond-async' }, method: 'POST' })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: number }
    const read = async (): Promise<ImportDoc> => {
      try {
        return (await (await fetch(`${url()}/api/imports/${id}`, { headers })).json()) as ImportDoc
      } catch (err) {
        throw new Error(`GET /api/imports/${id} failed (${String(err)}); server output:\n${output.slice(-3000)}`)
      }
    }

    // Killed after at least two checkpoints, well before the end.
    let before: ImportDoc | undefined
    await waitFor('two checkpoints', async () => {
      before = await read()
      return before.rows >= 2000
    }, 120_000)
    expect(before!.status).toBe('processing')
    await kill()
    const killedAt = before!.rows
    expect(killedAt).toBeLessThan(ROWS)

    await start()
    let after: ImportDoc | undefined
    await waitFor('the import finishes after the restart', async () => {
      after = await read()
      return after.status === 'done' || after.status === 'failed'
    }, 180_000)
    expect(after).toMatchObject({ failed: BAD_ROWS.size, rows: ROWS, status: 'done' })
    expect(after!.attempts).toBe(2)
    expect(after!.created + after!.updated + after!.failed).toBe(ROWS)
    expect(after!.errors.map((error) => error.row)).toEqual([...BAD_ROWS])
    const count = (await (await fetch(`${url()}/api/customers?limit=1&where[email][like]=restart.test`, { headers })).json()) as { totalDocs: number }
    expect(count.totalDocs).toBe(ROWS - BAD_ROWS.size)
  })
})
