import type { ChildProcess } from 'node:child_process'

import type { JobRuntime } from '../../src/jobs/runtime.js'
import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { sql } from 'drizzle-orm'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { runSql, upsertCustomers } from '../../src/bulk/index.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { startJobRuntime } from '../../src/jobs/runtime.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { sleep, waitFor } from '../helpers/jobsTestUtils.js'
import { currentTestDb } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// `node --import tsx`, not the tsx wrapper: SIGKILL must reach the process that does the work.
const tsNode = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const

const CUSTOMERS = 600
const BATCH = 5
const KILLS = 3
const SECRET = 'kill-resume-secret'

type Attempts = { attempts: number; reference: string; sends: number }

/**
 * Exactly once under SIGKILL: two job workers (`npm run worker`, each its own process) share one
 * campaign's dispatch; the vendor simulator runs as its own process and counts every attempt per
 * reference before de-duplicating. Workers are killed at random points and restarted.
 */
describe(`campaign kill and resume (${currentTestDb()})`, () => {
  let crm: TestPayload
  let enqueuer: JobRuntime
  let marketer: TestUser
  let vendorProcess: ChildProcess
  let vendorUrl = ''
  const workers = new Map<string, ChildProcess>()
  let customerIds: number[] = []

  const workerEnv = (name: string): NodeJS.ProcessEnv => ({
    ...process.env,
    CRM_SEND_BATCH_SIZE: String(BATCH),
    CRM_SEND_CONCURRENCY: '1',
    CRM_SEND_DISPATCHERS: '2',
    CRM_SEND_JOBS_PER_WORKER: '1',
    CRM_SEND_LEASE_MS: '6000',
    CRM_SEND_RETRY_BASE_MS: '20',
    DATABASE_URL: crm.url,
    NODE_OPTIONS: '',
    PAYLOAD_SECRET: 'kill-resume-payload-secret',
    VENDOR_URL: vendorUrl,
    VENDOR_WEBHOOK_SECRET: SECRET,
    WORKER_NAME: name,
  })

  const startWorker = async (name: string): Promise<void> => {
    const child = spawn(...tsNode(['worker.ts']), { cwd: root, env: workerEnv(name), stdio: ['ignore', 'pipe', 'pipe'] })
    workers.set(name, child)
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    if (process.env.KILL_DEBUG) {
      child.stdout!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`))
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}!] ${chunk.toString()}`))
    }
    await waitFor(`worker ${name} started`, () => out.includes(`Job worker ${name} started`) || child.exitCode !== null, 240_000)
    if (child.exitCode !== null) throw new Error(`worker ${name} exited: ${out}`)
  }

  const kill = async (name: string): Promise<void> => {
    const child = workers.get(name)!
    child.kill('SIGKILL')
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }

  const vendor = async <T>(pathname: string, init?: RequestInit): Promise<T> => (await (await fetch(`${vendorUrl}${pathname}`, init)).json()) as T
  const statusOf = async (id: number) =>
    (await runSql<{ status: string }>({ payload: crm.payload, query: sql`SELECT status FROM campaigns WHERE id = ${id}` }))[0]?.status
  const logsOf = (id: number) =>
    runSql<{ reference: string; status: string; vendor_message_id: null | string }>({
      payload: crm.payload,
      query: sql`SELECT reference, status, vendor_message_id FROM communication_logs WHERE campaign_id = ${id} ORDER BY id`,
    })
  const sentCount = async (id: number) =>
    Number((await runSql<{ n: number }>({ payload: crm.payload, query: sql`SELECT COUNT(*) AS n FROM communication_logs WHERE campaign_id = ${id} AND status <> 'pending'` }))[0]?.n ?? 0)

  /** Sends a campaign while killing a random worker at random points, restarting it each time. */
  const sendWithKills = async (): Promise<number> => {
    const campaign = await crm.payload.create({
      collection: 'campaigns',
      data: { customers: customerIds, message: 'Hello {{firstName}}', name: 'kill' } as never,
      overrideAccess: true,
    })
    const id = Number(campaign.id)
    const res = await crm.request(`/api/campaigns/${id}/send`, { headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(res.status).toBe(202)
    const random = (() => {
      let x = 0x9e3779b9 ^ id
      return () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32)
    })()
    const restarts = new Map<string, Promise<void>>()
    for (let k = 0; k < KILLS; k++) {
      // A random point of the send: after some share of the logs has gone out.
      const target = Math.floor(CUSTOMERS * (0.08 + 0.2 * k + random() * 0.1))
      await waitFor(`${target} logs sent`, async () => (await sentCount(id)) >= target || (await statusOf(id)) === 'completed', 120_000)
      await sleep(Math.floor(random() * 40))
      const name = random() < 0.5 ? 'w1' : 'w2'
      await restarts.get(name)
      await kill(name)
      // Restarted in the background: the other worker goes on meanwhile.
      restarts.set(name, startWorker(name))
    }
    await Promise.all(restarts.values())
    await waitFor('campaign completed', async () => (await statusOf(id)) === 'completed', 120_000)
    return id
  }

  beforeAll(async () => {
    crm = await bootTestPayload('campaigns_kill')
    marketer = await createUserWithRole(crm.payload, 'marketer')
    await upsertCustomers({ payload: crm.payload, rows: Array.from({ length: CUSTOMERS }, (_, i) => ({ email: `k${i}@kill.test`, name: `Kay ${i}` })) })
    customerIds = (await runSql<{ id: number }>({ payload: crm.payload, query: sql`SELECT id FROM customers ORDER BY id` })).map((row) => Number(row.id))
    // This process only queues (no CRM job definitions): the workers do the sending.
    enqueuer = await startJobRuntime({ database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: crm.url }), definitions: [], payload: crm.payload, workerName: 'enqueuer' })
    vendorProcess = spawn(
      ...tsNode(['scripts/vendor.ts', '--port', '0', '--callback-url', 'http://127.0.0.1:9/api/communication-logs/receipts', '--behaviour', JSON.stringify({ answerDelayMs: [100, 200], callbackMaxAttempts: 1 })]),
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '', VENDOR_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    vendorProcess.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    // Drain its log too: on Linux a write to a full stderr pipe blocks the whole simulator (it logs every
    // receipt delivery it cannot make), which stalled the send mid-test ("Headers Timeout") in full runs.
    let vendorLog = ''
    vendorProcess.stderr!.on('data', (chunk: Buffer) => (vendorLog = (vendorLog + chunk.toString()).slice(-20_000)))
    vendorProcess.once('exit', (code) => {
      if (code) process.stderr.write(`vendor simulator exited with ${code}; its last log:\n${vendorLog}\n`)
    })
    await waitFor('vendor started', () => /Vendor simulator on (http:\/\/\S+)/.test(out), 60_000)
    vendorUrl = /Vendor simulator on (http:\/\/\S+)/.exec(out)![1]!
    await Promise.all([startWorker('w1'), startWorker('w2')])
  })

  afterAll(async () => {
    for (const name of workers.keys()) await kill(name).catch(() => undefined)
    vendorProcess?.kill('SIGKILL')
    await enqueuer?.stop({ timeoutMs: 10_000 })
    await crm?.cleanup()
  })

  jest.setTimeout(600_000)

  it('should resend at most the batch in flight at each kill when the vendor does not de-duplicate', async () => {
    await vendor('/config', { body: JSON.stringify({ dedup: false }), headers: { 'content-type': 'application/json' }, method: 'PATCH' })
    await vendor('/reset', { method: 'POST' })
    const id = await sendWithKills()
    const logs = await logsOf(id)
    expect(logs).toHaveLength(CUSTOMERS)
    expect(logs.every((log) => log.status !== 'pending' && log.vendor_message_id)).toBe(true)
    const all = await vendor<{ multiSent: Attempts[]; references: number }>('/attempts')
    // Nobody skipped: every log's reference reached the vendor.
    expect(all.references).toBe(CUSTOMERS)
    // Resent only within the batches in flight at the kills (one lane per worker: one batch each).
    expect(all.multiSent.length).toBeLessThanOrEqual(KILLS * BATCH)
    for (const multi of all.multiSent) expect(multi.sends).toBe(2)
  })

  it('should end with exactly one accepted message per log when the vendor de-duplicates by reference', async () => {
    await vendor('/config', { body: JSON.stringify({ dedup: true }), headers: { 'content-type': 'application/json' }, method: 'PATCH' })
    await vendor('/reset', { method: 'POST' })
    const id = await sendWithKills()
    const logs = await logsOf(id)
    expect(logs).toHaveLength(CUSTOMERS)
    const all = await vendor<{ multiSent: Attempts[]; references: number }>('/attempts')
    expect(all.references).toBe(CUSTOMERS)
    expect(all.multiSent).toEqual([])
    // Attempts counted before de-duplication: each log reached the vendor at least once, and was sent once.
    const sample = logs.filter((_, i) => i % 37 === 0)
    for (const log of sample) {
      const attempts = await vendor<Attempts>(`/attempts?reference=${encodeURIComponent(log.reference)}`)
      expect(attempts.sends).toBe(1)
      expect(attempts.attempts).toBeGreaterThanOrEqual(1)
      expect(log.status).not.toBe('pending')
    }
  })
})
