import type { TestPayload } from '../helpers/bootPayload.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { currentTestDb } from '../helpers/testDb.js'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')

type Run = { code: null | number; stderr: string; stdout: string }

/** `npm run import -- …` as a user runs it (tsx scripts/import.ts), against this test's database. */
const runCli = (databaseUrl: string, args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PAYLOAD_SECRET: 'import-cli-test-secret-0123456789' }
    delete env.NODE_OPTIONS
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => resolve({ code, stderr, stdout }))
  })

describe(`import CLI (${currentTestDb()})`, () => {
  let t: TestPayload
  let dir: string

  beforeAll(async () => {
    t = await bootTestPayload('import_cli')
    dir = mkdtempSync(path.join(os.tmpdir(), 'crm-import-cli-'))
  })

  afterAll(async () => {
    await t?.cleanup()
    rmSync(dir, { force: true, recursive: true })
  })

  it('should import a file with errors through the bulk path, with a progress bar and the summary', async () => {
    const rows = ['email,name,visits,plan']
    for (let i = 1; i <= 30_000; i += 1) rows.push(i === 10 ? 'nope,Bad,1,gold' : i === 20_000 ? `x${i}@cli.test,Neg,-2,gold` : `x${i}@cli.test,X ${i},${i % 4},${i % 2 ? 'gold' : 'free'}`)
    const file = path.join(dir, 'customers.csv')
    writeFileSync(file, `${rows.join('\n')}\n`)
    const run = await runCli(t.url, ['customers', file, '--json'])
    expect(run.code).toBe(0)
    // One bar line per batch of written rows (10,000; 25,000 on SQLite), stderr not being a TTY (rows 10
    // and 20,000 failed, so a batch ends a row or two later), then the summary.
    if (currentTestDb() === 'sqlite') expect(run.stderr).toMatch(/\[#{25}-{5}\]  83% 25,002\/30,000 rows  [\d,]+ rows\/s/)
    else expect(run.stderr).toMatch(/\[#{10}-{20}\]  33% 10,001\/30,000 rows  [\d,]+ rows\/s/)
    expect(run.stderr).toMatch(/\[#{30}\] 100% 30,000\/30,000 rows/)
    expect(run.stderr).toMatch(/30,000 rows in [\d.]+ s: 29998 created, 0 updated \(0 unchanged\), 2 failed\nerrors \(2\):\n  row 10 \(email\): .*\n  row 20000 \(visits\): /)
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { created: number; errors: { row: number }[]; failed: number; rows: number }
    expect(report).toMatchObject({ created: 29_998, failed: 2, rows: 30_000 })
    expect(report.errors.map((error) => error.row)).toEqual([10, 20_000])
    const stored = await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { like: '@cli.test' } } })
    expect(stored.totalDocs).toBe(29_998)
    const [one] = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'x3@cli.test' } } })).docs
    expect(one).toMatchObject({ attributes: { plan: 'gold' }, name: 'X 3', visits: 3 })
  })

  it('should refuse a file without a key column (exit 1) and bad arguments (exit 2)', async () => {
    const file = path.join(dir, 'orders.csv')
    writeFileSync(file, 'amount,currency\n1,INR\n')
    const refused = await runCli(t.url, ['orders', file])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/the file was refused: .*order id/i)
    const usage = await runCli(t.url, ['people', file])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/customers or orders, not people/)
  })
})
