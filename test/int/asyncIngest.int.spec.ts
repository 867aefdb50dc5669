import type { ChildProcess } from 'node:child_process'

import type { CrmServer } from '../../src/server/createServer.js'
import type { TestUser } from '../helpers/users.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'

import { claimRun, fencedUpdate, runSql } from '../../src/bulk/index.js'
import { jobQueueOf } from '../../src/campaigns/jobQueueRegistry.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { INGEST_CHUNK_RECORDS } from '../../src/constants.js'
import { runAsyncImport } from '../../src/operations/ingest/asyncImport.js'
import { runIngestBatch } from '../../src/operations/ingest/jsonIngest.js'
import { stageRecords, stageUpload } from '../../src/operations/ingest/staging.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { waitFor } from '../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')

type ImportDoc = {
  attempts: number
  bytes: number
  created: number
  createdBy: string
  durationMs: number
  errors: { column?: string; message: string; row: number }[]
  errorSummary: null | string
  failed: number
  fileName: string
  id: number
  kind: string
  rows: number
  rowsPerSecond: number
  status: string
  unchanged: number
  updated: number
  warnings: { column?: string; message: string; row: number }[]
}
type Batch = { accepted: number; errors: { index: number; message: string }[]; failed: number; persisted: number; status: string }

/** A customers CSV of `n` rows on `domain`: rows 5, 17 and 30 are bad, row 40 repeats row 2's email. */
const customersCsv = (domain: string, n = 45): string => {
  const lines = ['Email,Name,City,Visits,Loyalty Tier']
  for (let row = 1; row <= n; row += 1) {
    if (row === 5) lines.push(`not-an-email,Bad ${row},Pune,1,gold`)
    else if (row === 17) lines.push(`r${row}@${domain},Bad visits,Pune,-3,gold`)
    else if (row === 30) lines.push(`,No email,Delhi,2,silver`)
    else if (row === 40) lines.push(`r2@${domain},Second of two,Mumbai,9,gold`)
    else lines.push(`r${row}@${domain},"Name, ${row}",${row % 2 ? 'Pune' : 'Delhi'},${row},tier${row % 3}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

describe(`async CSV imports and the JSON ingest API (${currentTestDb()})`, () => {
  let db: TestDatabase
  let crm: CrmServer
  let worker: ChildProcess | undefined
  let admin: TestUser
  let marketer: TestUser
  let viewer: TestUser
  const savedEnv = { ...process.env }

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const auth = (user?: TestUser): Record<string, string> => (user ? { authorization: `JWT ${user.token}` } : {})
  const getJson = async <T>(path: string, user: TestUser = admin): Promise<T> => {
    const res = await http(path, { headers: auth(user) })
    expect(res.status).toBe(200)
    return (await res.json()) as T
  }
  const untilImportDone = async (id: number): Promise<ImportDoc> => {
    let doc: ImportDoc | undefined
    await waitFor(`import ${id} finished`, async () => {
      doc = await getJson<ImportDoc>(`/api/imports/${id}`)
      return doc.status === 'done' || doc.status === 'failed'
    }, 60_000)
    return doc!
  }
  const untilBatchDone = async (id: number | string): Promise<Batch> => {
    let batch: Batch | undefined
    await waitFor(`batch ${id} finished`, async () => {
      batch = await getJson<Batch>(`/api/ingest/batches/${id}`)
      return batch.status === 'done' || batch.status === 'failed'
    }, 60_000)
    return batch!
  }
  const countWhere = async (table: 'customers' | 'orders', column: 'email' | 'external_id', like: string): Promise<number> => {
    const rows = await runSql<{ n: number | string }>({ payload: crm.payload, query: sql`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE ${sql.raw(column)} LIKE ${like}` })
    return Number(rows[0]!.n)
  }

  const stagedChunksOf = async (owner: string): Promise<number> => {
    const rows = await runSql<{ n: number | string }>({ payload: crm.payload, query: sql`SELECT count(*) AS n FROM crm_staging_chunks WHERE owner = ${owner}` })
    return Number(rows[0]!.n)
  }

  beforeAll(async () => {
    // Small batches, so a 45-row file takes several checkpoints.
    Object.assign(process.env, { CRM_IMPORT_BATCH_ROWS: '10' })
    db = await createTestDatabase('async_ingest')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: process.env.TEST_LOG_LEVEL || 'fatal' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'ingest-worker-1' })
    admin = await createUserWithRole(crm.payload, 'admin')
    marketer = await createUserWithRole(crm.payload, 'marketer')
    viewer = await createUserWithRole(crm.payload, 'viewer')
  })

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve))
      worker.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
      if (worker.exitCode === null) worker.kill('SIGKILL')
    }
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
    process.env = savedEnv
  })

  it('should answer 202 with an import id, run it in the background and report the same counts as the synchronous import', async () => {
    const res = await http('/api/customers/import?fileName=people.csv', {
      body: customersCsv('async.test'),
      headers: { ...auth(marketer), 'content-type': 'text/csv', prefer: 'respond-async' },
      method: 'POST',
    })
    expect(res.status).toBe(202)
    const accepted = (await res.json()) as { href: string; id: number; status: string }
    expect(accepted.status).toBe('queued')
    expect(res.headers.get('location')).toBe(`/api/imports/${accepted.id}`)
    const doc = await untilImportDone(accepted.id)

    const sync = await http('/api/customers/import', { body: customersCsv('sync.test'), headers: { ...auth(marketer), 'content-type': 'text/csv' }, method: 'POST' })
    expect(sync.status).toBe(200)
    const report = (await sync.json()) as ImportDoc
    expect(doc).toMatchObject({ created: report.created, failed: report.failed, rows: report.rows, status: 'done', unchanged: report.unchanged, updated: report.updated })
    expect(doc).toMatchObject({ attempts: 1, createdBy: marketer.email, fileName: 'people.csv', kind: 'customers', rows: 45, failed: 3, created: 41, updated: 1 })
    expect(doc.errors.map((e) => [e.row, e.column])).toEqual(report.errors.map((e) => [e.row, e.column]))
    expect(doc.warnings.map((w) => w.row)).toEqual([2])
    expect(await stagedChunksOf(`import:${accepted.id}`)).toBe(1)
    expect(doc.errorSummary).toMatch(/^3 rows rejected; most often: /)
    expect(doc.rowsPerSecond).toBeGreaterThan(0)
    expect(doc.bytes).toBe(Buffer.byteLength(customersCsv('async.test')))
    expect(await countWhere('customers', 'email', '%@async.test')).toBe(41)
    // The history is the imports collection, newest first; runToken is never shown.
    // The synchronous import is in it too (newest), with the same counts it answered.
    const history = await getJson<{ docs: ImportDoc[] }>('/api/imports', viewer)
    expect(history.docs[0]).toMatchObject({ created: report.created, createdBy: marketer.email, failed: report.failed, kind: 'customers', rows: report.rows, status: 'done', updated: report.updated })
    expect(history.docs[0]!.durationMs).toBeGreaterThanOrEqual(0)
    expect(history.docs[1]!.id).toBe(accepted.id)
    for (const doc of history.docs.slice(0, 2)) expect(doc).not.toHaveProperty('runToken')
    // A synchronous import's upload is not kept: its rejected rows download as row, column and reason.
    const rejected = await http(`/api/imports/${history.docs[0]!.id}/rejected`, { headers: auth(marketer) })
    expect(rejected.status).toBe(200)
    const rows = parse(await rejected.text()) as string[][]
    expect(rows[0]).toEqual(['row', 'column', 'reason'])
    expect(rows.slice(1).map(([row, column]) => [Number(row), column])).toEqual(report.errors.map((e) => [e.row, e.column ?? '']))
  })

  it('should record a synchronous import that fails as a whole as failed, with its reason', async () => {
    const res = await http('/api/orders/import?fileName=broken.csv', { body: 'amount,currency\n1,INR\n', headers: { ...auth(marketer), 'content-type': 'text/csv' }, method: 'POST' })
    expect(res.status).toBe(400)
    const { errors } = (await res.json()) as { errors: { message: string }[] }
    const [latest] = (await getJson<{ docs: ImportDoc[] }>('/api/imports?sort=-createdAt&limit=1', viewer)).docs
    expect(latest).toMatchObject({ fileName: 'broken.csv', kind: 'orders', status: 'failed' })
    expect(latest!.errorSummary).toBe(errors[0]!.message)
  })

  it('should serve the rejected rows as CSV with a reason column, from the stored errors', async () => {
    const res = await http('/api/customers/import?async=true', { body: customersCsv('rejected.test'), headers: { ...auth(admin), 'content-type': 'text/csv' }, method: 'POST' })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: number }
    await untilImportDone(id)
    const csv = await http(`/api/imports/${id}/rejected`, { headers: auth(marketer) })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const rows = parse(await csv.text()) as string[][]
    expect(rows[0]).toEqual(['Email', 'Name', 'City', 'Visits', 'Loyalty Tier', 'reason'])
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ['not-an-email', 'Bad 5'],
      ['r17@rejected.test', 'Bad visits'],
      ['', 'No email'],
    ])
    expect(rows[1]![5]).toMatch(/^Email: /)
    expect(rows[2]![5]).toMatch(/^Visits: /)
    // Re-importing the rejected file (reason is just another column) rejects the same rows again.
    expect(rows.length).toBe(4)
  })

  it('should take a multipart upload with ?async=true for orders and keep its file name', async () => {
    const form = new FormData()
    const csv = ['order id,customer email,amount,ordered at', 'A-1,o1@orders.test,100,2025-03-01', 'A-2,o1@orders.test,abc,2025-03-02', 'A-3,o2@orders.test,50,2025-03-03'].join('\n')
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'march-orders.csv')
    const res = await http('/api/orders/import?async=true', { body: form, headers: auth(marketer), method: 'POST' })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: number }
    const doc = await untilImportDone(id)
    expect(doc).toMatchObject({ created: 2, failed: 1, fileName: 'march-orders.csv', kind: 'orders', rows: 3, status: 'done' })
    const [customer] = (await crm.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'o1@orders.test' } } })).docs
    expect(customer!.totalSpend).toBe(100)
  })

  it('should mark an import whose file cannot be read as failed with the reason', async () => {
    const res = await http('/api/orders/import?async=true', { body: 'amount,currency\n1,INR\n', headers: { ...auth(marketer), 'content-type': 'text/csv' }, method: 'POST' })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: number }
    const doc = await untilImportDone(id)
    expect(doc.status).toBe('failed')
    expect(doc.errorSummary).toMatch(/order id/i)
    const csv = await http(`/api/imports/${id}/rejected`, { headers: auth(marketer) })
    expect(csv.status).toBe(200)
    expect(await csv.text()).toBe('row,column,reason\n') // no rows: the file never gave one
    // Nothing to serve from it any more: the staged upload is gone (one with rejected rows is kept).
    expect(await stagedChunksOf(`import:${id}`)).toBe(0)
  })

  it('should refuse viewers and anonymous callers, and answer bad input with a 4xx naming it', async () => {
    const asViewer = await http('/api/customers/import?async=true', { body: 'email\na@b.test\n', headers: { ...auth(viewer), 'content-type': 'text/csv' }, method: 'POST' })
    expect(asViewer.status).toBe(403)
    const ingestViewer = await http('/api/ingest/customers', { body: '[]', headers: jsonHeaders(viewer.token), method: 'POST' })
    expect(ingestViewer.status).toBe(403)
    const anonymous = await http('/api/ingest/orders', { body: '[]', headers: jsonHeaders(), method: 'POST' })
    expect(anonymous.status).toBe(401)
    const empty = await http('/api/customers/import?async=true', { headers: { ...auth(marketer), 'content-type': 'text/csv' }, method: 'POST' })
    expect(empty.status).toBe(400)
    const notArray = await http('/api/ingest/customers', { body: '{"email":"a@b.test"}', headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(notArray.status).toBe(400)
    const missing = await http('/api/imports/999999/rejected', { headers: auth(marketer) })
    expect(missing.status).toBe(404)
    const badId = await http('/api/ingest/batches/abc', { headers: auth(marketer) })
    expect(badId.status).toBe(400)
    expect(JSON.stringify(await badId.json())).toMatch(/batch id/)
    const noBatch = await http('/api/ingest/batches/999999', { headers: auth(marketer) })
    expect(noBatch.status).toBe(404)
  })

  it('should answer 413 past 10,000 records without storing anything', async () => {
    const records = Array.from({ length: 10_001 }, (_, i) => ({ email: `big${i}@big.test` }))
    const res = await http('/api/ingest/customers', { body: JSON.stringify(records), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(res.status).toBe(413)
    expect(JSON.stringify(await res.json())).toMatch(/at most 10000 records/)
    expect(await countWhere('customers', 'email', '%@big.test')).toBe(0)
  })

  it('should validate at once, answer 202 with the rejected indexes, and persist exactly what was accepted', async () => {
    const records = [
      { city: 'Pune', email: 'J0@Json.test', tags: ['vip'], totalSpend: 250, visits: 3 },
      { email: 'nope', visits: 2 },
      { createdAt: '2025-03-01', email: 'j2@json.test', name: 'Jay' },
      { email: 'j3@json.test', visits: -1, colour: 'red' },
      { email: 'j4@json.test', lastVisitAt: 'yesterday' },
    ]
    const res = await http('/api/ingest/customers', { body: JSON.stringify(records), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(res.status).toBe(202)
    const answer = (await res.json()) as { accepted: number; batchId: number; rejected: { index: number; message: string }[] }
    expect(answer.accepted).toBe(2)
    expect(answer.rejected.map((r) => r.index)).toEqual([1, 3, 4])
    expect(answer.rejected[0]!.message).toMatch(/^email: /)
    expect(answer.rejected[1]!.message).toMatch(/visits: /)
    expect(answer.rejected[1]!.message).toMatch(/colour/)
    expect(answer.rejected[2]!.message).toMatch(/lastVisitAt: must be an ISO 8601 date/)
    const batch = await untilBatchDone(answer.batchId)
    expect(batch).toMatchObject({ accepted: 2, failed: 0, persisted: 2, status: 'done' })
    const [j0] = (await crm.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'j0@json.test' } } })).docs
    expect(j0).toMatchObject({ city: 'Pune', tags: ['vip'], totalSpend: 250, visits: 3 })
    expect(await countWhere('customers', 'email', '%@json.test')).toBe(2)

    const orders = [
      { amount: 120, customerEmail: 'j0@json.test', externalId: 'J-1', orderedAt: '2025-04-01T10:00:00+05:30' },
      { amount: 10, currency: 'USD', customerEmail: 'j0@json.test', externalId: 'J-2', orderedAt: '2025-04-02' },
      { amount: 30, customerEmail: 'new@json.test', externalId: 'J-3', orderedAt: '2025-04-03', status: 'paid' },
    ]
    const ordersRes = await http('/api/ingest/orders', { body: JSON.stringify(orders), headers: jsonHeaders(admin.token), method: 'POST' })
    expect(ordersRes.status).toBe(202)
    const ordersAnswer = (await ordersRes.json()) as { accepted: number; batchId: number; rejected: { index: number; message: string }[] }
    expect(ordersAnswer.rejected).toEqual([{ index: 1, message: expect.stringMatching(/^currency: must be the store currency INR/) as unknown as string }])
    expect(await untilBatchDone(ordersAnswer.batchId)).toMatchObject({ persisted: 2, status: 'done' })
    const [owner] = (await crm.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'j0@json.test' } } })).docs
    expect(owner).toMatchObject({ orderCount: 1, totalSpend: 370 })
    // Staged records are dropped once persisted.
    const staged = await runSql<{ n: number | string }>({ payload: crm.payload, query: sql`SELECT count(*) AS n FROM crm_staging_chunks WHERE owner LIKE 'batch:%'` })
    expect(Number(staged[0]!.n)).toBe(0)
  })

  it('should persist every accepted record exactly once with two workers and four concurrent producers', async () => {
    // The second worker is its own process (`npm run worker`): it sees the staged records only through the database.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, PAYLOAD_SECRET: 'ingest-worker-secret-0123456789', WORKER_NAME: 'ingest-worker-2' }
    delete env.NODE_OPTIONS
    worker = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    worker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitFor('the second worker starts', () => {
      if (worker!.exitCode !== null) throw new Error(`the worker exited (${worker!.exitCode}):\n${output}`)
      return output.includes('Job worker ingest-worker-2 started')
    }, 120_000)
    const producers = Array.from({ length: 4 }, async (_, p) => {
      const answers: { accepted: number; batchId: number }[] = []
      for (let b = 0; b < 2; b += 1) {
        const records = Array.from({ length: 3000 }, (_, i) => (i === 7 ? { email: `bad-${p}` } : { email: `p${p}-${b}-${i}@two.test`, visits: i % 5 }))
        const res = await http('/api/ingest/customers', { body: JSON.stringify(records), headers: jsonHeaders(marketer.token), method: 'POST' })
        expect(res.status).toBe(202)
        answers.push((await res.json()) as { accepted: number; batchId: number })
      }
      return answers
    })
    const answers = (await Promise.all(producers)).flat()
    expect(answers.map((a) => a.accepted)).toEqual(Array.from({ length: 8 }, () => 2999))
    const batches = await Promise.all(answers.map((a) => untilBatchDone(a.batchId)))
    expect(batches.map((b) => [b.status, b.persisted, b.failed])).toEqual(Array.from({ length: 8 }, () => ['done', 2999, 0]))
    expect(await countWhere('customers', 'email', '%@two.test')).toBe(8 * 2999)
    // Each batch job was last claimed by one of the two workers (in the runs seen, both took some).
    const { jobs } = await jobQueueOf(crm.payload)!.queryJobs({ name: 'crm.ingestBatch' })
    const claimedBy = jobs.map((job) => (job as { lastModifiedBy?: string }).lastModifiedBy)
    expect(claimedBy).toHaveLength(8 + 2) // and the two earlier tests' batches
    expect(claimedBy.every((name) => name === 'ingest-worker-1' || name === 'ingest-worker-2')).toBe(true)
  })

  it('should let a run that takes over finish the import while the stale run stops at its next write', async () => {
    const doc = await crm.payload.create({ collection: 'imports', data: { fileName: 'twice.csv', kind: 'customers', status: 'queued' }, overrideAccess: true })
    await stageUpload({ owner: `import:${doc.id}`, payload: crm.payload, source: (async function* () {
      yield Buffer.from(customersCsv('fenced.test'))
    })() })
    let isTakenOver = false
    let staleBatches = 0
    // The first run's first checkpoint starts a second run (a worker that took the job over) and waits for it to end.
    await runAsyncImport({
      importId: doc.id,
      payload: crm.payload,
      touch: async () => {
        staleBatches += 1
        if (isTakenOver) return
        isTakenOver = true
        await runAsyncImport({ importId: doc.id, payload: crm.payload })
      },
    })
    expect(staleBatches).toBe(1)
    const final = await getJson<ImportDoc>(`/api/imports/${doc.id}`)
    expect(final).toMatchObject({ attempts: 2, failed: 3, rows: 45, status: 'done' })
    expect(final.created + final.updated + final.failed).toBe(45)
    expect(final.errors.map((e) => e.row)).toEqual([5, 17, 30])
    expect(await countWhere('customers', 'email', '%@fenced.test')).toBe(41)
  })

  it('should let only the latest run write: a stale run is fenced out', async () => {
    const doc = await crm.payload.create({ collection: 'imports', data: { kind: 'customers', status: 'queued' }, overrideAccess: true })
    const first = await claimRun({ id: doc.id, payload: crm.payload, table: 'imports', values: { status: 'processing' } })
    const second = await claimRun({ id: doc.id, payload: crm.payload, table: 'imports' })
    expect(await fencedUpdate({ id: doc.id, payload: crm.payload, table: 'imports', token: first, values: { rows: 5 } })).toBe(false)
    expect(await fencedUpdate({ id: doc.id, payload: crm.payload, table: 'imports', token: second, values: { errors: { json: [{ message: 'x', row: 1 }] }, rows: 7, started_at: new Date() } })).toBe(true)
    const stored = await crm.payload.findByID({ collection: 'imports', id: doc.id, overrideAccess: true })
    expect(stored).toMatchObject({ errors: [{ message: 'x', row: 1 }], rows: 7, status: 'processing' })
  })

  it('should resume an ingest batch after its last recorded chunk and record each chunk as it is written', async () => {
    const records = Array.from({ length: 2 * INGEST_CHUNK_RECORDS + 3 }, (_, i) => ({
      index: i * 2,
      // One record the database refuses (an unknown customer id), in the last chunk.
      row: i === 2 * INGEST_CHUNK_RECORDS + 1 ? { amount: 1, customerId: 987654, externalId: 'RES-BAD', orderedAt: '2025-05-01' } : { amount: 1, customerEmail: `res@resume.test`, externalId: `RES-${i}`, orderedAt: '2025-05-01' },
    }))
    const batch = await crm.payload.create({
      collection: 'ingest-batches',
      // As a run stopped after its first chunk left it.
      data: { accepted: records.length, chunksDone: 1, kind: 'orders', persisted: INGEST_CHUNK_RECORDS, status: 'processing' },
      overrideAccess: true,
    })
    expect(await stageRecords({ owner: `batch:${batch.id}`, payload: crm.payload, perChunk: INGEST_CHUNK_RECORDS, records })).toBe(3)
    const seen: number[] = []
    await runIngestBatch({
      batchId: batch.id,
      payload: crm.payload,
      touch: async () => {
        const doc = await crm.payload.findByID({ collection: 'ingest-batches', id: batch.id, overrideAccess: true })
        seen.push(doc.chunksDone as number)
      },
    })
    // Chunks 1 and 2 written, one checkpoint each; chunk 0 (already recorded) was not written again.
    expect(seen).toEqual([2, 3])
    const done = (await crm.payload.findByID({ collection: 'ingest-batches', id: batch.id, overrideAccess: true })) as unknown as Batch & { chunksDone: number }
    expect(done).toMatchObject({ chunksDone: 3, failed: 1, persisted: records.length - 1, status: 'done' })
    expect(done.errors).toEqual([{ index: (2 * INGEST_CHUNK_RECORDS + 1) * 2, message: expect.stringMatching(/refused/) as unknown as string }])
    expect(await countWhere('orders', 'external_id', 'RES-%')).toBe(INGEST_CHUNK_RECORDS + 2)
    expect(await stagedChunksOf(`batch:${batch.id}`)).toBe(0)
  })
})
