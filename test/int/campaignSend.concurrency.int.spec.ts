import type { TestPayload } from '../helpers/bootPayload.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { sql } from 'drizzle-orm'

import {
  applyReceipts,
  claimPendingLogs,
  createSendRateTable,
  explainLogBatchUpdates,
  recordSentLogs,
  releaseLogClaims,
  resetSendRateTableCache,
  runSql,
  snapshotCampaignAudience,
  takeSendTokens,
  upsertCustomers,
} from '../../src/bulk/index.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { currentTestDb } from '../helpers/testDb.js'

const LOGS = 2000

/** A seeded shuffle, so a failure can be replayed. */
const shuffled = <T>(items: T[], seed: number): T[] => {
  const out = [...items]
  let x = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0
    const j = x % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * The send pipeline's batch writes under concurrency: the dispatcher's sent records and the receipts
 * endpoint's outcomes touch the same logs at once (the vendor answers and reports at the same time).
 */
describe(`campaign send statements under concurrency (${currentTestDb()})`, () => {
  let t: TestPayload
  let campaignId = 0
  let logs: { id: number; reference: string }[] = []

  beforeAll(async () => {
    t = await bootTestPayload('campaign_send_sql')
    await upsertCustomers({ payload: t.payload, rows: Array.from({ length: LOGS }, (_, i) => ({ email: `s${i}@sql.test`, name: `S ${i}` })) })
    const campaign = await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'sql' } as never, overrideAccess: true })
    campaignId = Number(campaign.id)
    await snapshotCampaignAudience({ audience: { ctes: [], kind: 'rule', where: sql`1 = 1` }, campaignId, payload: t.payload })
    logs = (await runSql<{ id: number; reference: string }>({ payload: t.payload, query: sql`SELECT id, reference FROM communication_logs WHERE campaign_id = ${campaignId} ORDER BY id` })).map(
      (row) => ({ id: Number(row.id), reference: row.reference }),
    )
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should write a campaign\'s snapshot once when two runs of it start together', async () => {
    const campaign = await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'twice' } as never, overrideAccess: true })
    const id = Number(campaign.id)
    const audience = { ctes: [], kind: 'rule' as const, where: sql`c."email" LIKE 's2%'` }
    const runs = await Promise.all([1, 2].map(() => snapshotCampaignAudience({ audience, campaignId: id, payload: t.payload })))
    const [{ n }] = await runSql<{ n: number | string }>({ payload: t.payload, query: sql`SELECT COUNT(*) AS n FROM communication_logs WHERE campaign_id = ${id}` })
    const expected = Array.from({ length: LOGS }, (_, i) => `s${i}`).filter((name) => name.startsWith('s2')).length
    expect(Number(n)).toBe(expected)
    expect(runs.map((run) => run.audience)).toEqual([expected, expected])
    // PostgreSQL serialises the two runs (advisory lock): the second inserts nothing. (SQLite's runs
    // interleave their counts, so each may report the other's rows as inserted; only ANALYZE on
    // PostgreSQL reads `inserted`.)
    if (currentTestDb() === 'postgres') expect(runs.map((run) => run.inserted).sort((a, b) => a - b)).toEqual([0, expected])
    // And once more later: nothing new.
    expect(await snapshotCampaignAudience({ audience, campaignId: id, payload: t.payload })).toMatchObject({ audience: expected, inserted: 0 })
  })

  it('should claim onwards from afterId, and find logs released below it with a claim from the start', async () => {
    const campaign = await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'claims' } as never, overrideAccess: true })
    const id = Number(campaign.id)
    await snapshotCampaignAudience({ audience: { ctes: [], kind: 'rule', where: sql`c."email" LIKE 's1%'` }, campaignId: id, payload: t.payload })
    const own = (await runSql<{ id: number }>({ payload: t.payload, query: sql`SELECT id FROM communication_logs WHERE campaign_id = ${id} ORDER BY id` })).map((row) => Number(row.id))
    expect(own.length).toBeGreaterThan(20)
    const claim = async (afterId?: number) =>
      (await claimPendingLogs({ afterId, campaignId: id, leaseMs: 60_000, limit: 5, payload: t.payload, workerName: 'w' })).map((log) => log.id)
    expect(await claim()).toEqual(own.slice(0, 5))
    expect(await claim(own[4])).toEqual(own.slice(5, 10))
    // Claimed logs are not claimed again, from anywhere.
    expect(await claim()).toEqual(own.slice(10, 15))
    await releaseLogClaims({ ids: own.slice(0, 5), payload: t.payload })
    expect(await claim(own[14])).toEqual(own.slice(15, 20))
    expect(await claim()).toEqual(own.slice(0, 5))
    expect(await claim(own[own.length - 1])).toEqual([])
  })

  it('should record sent batches and apply receipts for the same logs at once, in any order, without a deadlock', async () => {
    expect(logs).toHaveLength(LOGS)
    const at = new Date().toISOString()
    for (let round = 0; round < 4; round++) {
      const writes: Promise<unknown>[] = []
      for (let k = 0; k < 4; k++) {
        const seed = round * 100 + k
        writes.push(recordSentLogs({ logs: shuffled(logs, seed).map((log) => ({ id: log.id, message: `m${log.id}`, messageId: `v${log.id}`, outcome: 'sent' })), payload: t.payload }))
        writes.push(applyReceipts({ payload: t.payload, receipts: shuffled(logs, seed + 50).slice(0, 1000).map((log) => ({ at, messageId: `v${log.id}`, reference: log.reference, status: 'delivered' })) }))
        writes.push(releaseLogClaims({ ids: shuffled(logs, seed + 70).map((log) => log.id), payload: t.payload }))
      }
      const results = await Promise.allSettled(writes)
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [String((result.reason as Error).message)] : []))
      expect(failures).toEqual([])
    }
    // Forward only whatever the interleaving: a delivered log stayed delivered, the rest are sent.
    const counts = await runSql<{ n: number; status: string }>({
      payload: t.payload,
      query: sql`SELECT status, COUNT(*) AS n FROM communication_logs WHERE campaign_id = ${campaignId} GROUP BY status ORDER BY status`,
    })
    const byStatus = Object.fromEntries(counts.map((row) => [row.status, Number(row.n)]))
    expect((byStatus.delivered ?? 0) + (byStatus.sent ?? 0)).toBe(LOGS)
    expect(byStatus.delivered).toBeGreaterThan(LOGS / 2)
  })

  it('should create the shared rate table once when several workers start at the same moment', async () => {
    await runSql({ payload: t.payload, query: sql`DROP TABLE IF EXISTS crm_send_rate` })
    resetSendRateTableCache()
    // Each call stands for a worker process starting (no shared in-process cache).
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => createSendRateTable({ payload: t.payload })))
    expect(results.flatMap((result) => (result.status === 'rejected' ? [String((result.reason as Error).message)] : []))).toEqual([])
    // And the lanes of one process share one creation.
    await runSql({ payload: t.payload, query: sql`DROP TABLE crm_send_rate` })
    resetSendRateTableCache()
    const waits = await Promise.all(Array.from({ length: 8 }, () => takeSendTokens({ count: 10, payload: t.payload, perSecond: 1_000_000 })))
    expect(waits).toEqual(Array.from({ length: 8 }, () => 0))
    const used = await runSql<{ used: number }>({ payload: t.payload, query: sql`SELECT used FROM crm_send_rate` })
    expect(Number(used[0]?.used)).toBeGreaterThanOrEqual(10)
  })

  ;(currentTestDb() === 'sqlite' ? it : it.skip)('should reach each batch\'s logs through an index on SQLite, never by scanning the log table', async () => {
    const plans = await explainLogBatchUpdates({ payload: t.payload })
    // A batch filtered by status too (renew, release) once took the status index and scanned the batch
    // per pending log: minutes per batch on a large campaign. The input is MATERIALIZED to prevent it.
    for (const plan of [plans.receipts, plans.release, plans.renew, plans.sent]) {
      // The only step on the log table looks each input row up by its key (rowid or reference), never
      // by status alone.
      const onLogs = plan.filter((line) => /\bcommunication_logs\b/.test(line))
      expect(onLogs).toHaveLength(1)
      expect(onLogs[0]).toMatch(/^SEARCH communication_logs USING (INTEGER PRIMARY KEY \(rowid=\?\)|(COVERING )?INDEX \w+ \((reference=\?|status=\? AND rowid=\?)\))$/)
    }
  })

  it('should find the campaign of every log a receipts batch moves, whatever its reference looks like', async () => {
    // The snapshot's references: `c<campaign>-<customer>`, the campaign id written as an integer.
    expect(logs.every((log) => new RegExp(`^c${campaignId}-\\d+$`).test(log.reference))).toBe(true)
    const other = Number((await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'refs' } as never, overrideAccess: true })).id)
    const customers = await runSql<{ id: number }>({ payload: t.payload, query: sql`SELECT id FROM customers ORDER BY id LIMIT 3` })
    // Logs written by hand (a host's own) and in the form SQLite's driver once wrote (`c<id>.0-<customer>`).
    const refs = ['by-hand', `c${other}.0-${customers[1]!.id}`, `c${other}-${customers[2]!.id}`]
    for (const [i, reference] of refs.entries()) {
      await runSql({
        payload: t.payload,
        query: sql`INSERT INTO communication_logs (campaign_id, customer_id, recipient, status, reference, attempts, updated_at, created_at)
                   VALUES (${other}, ${customers[i]!.id}, ${`r${i}@sql.test`}, 'pending', ${reference}, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
      })
    }
    const at = new Date().toISOString()
    const receipt = (reference: string) => ({ at, messageId: `m-${reference}`, reference, status: 'sent' as const })
    // All moved, one reference not in our form: looked up.
    expect(await applyReceipts({ payload: t.payload, receipts: [receipt('by-hand')] })).toEqual({ campaignIds: [other], matched: 1, unknownReferences: [] })
    // All moved, in our form (old and new): named by the references.
    expect(await applyReceipts({ payload: t.payload, receipts: [receipt(refs[1]!), receipt(refs[2]!)] })).toEqual({ campaignIds: [other], matched: 2, unknownReferences: [] })
    // A repeat (nothing moves) and an unknown reference: looked up, the repeat still matched.
    expect(await applyReceipts({ payload: t.payload, receipts: [receipt(refs[2]!), receipt(`c${other}-0`)] })).toEqual({
      campaignIds: [other],
      matched: 1,
      unknownReferences: [`c${other}-0`],
    })
    const stored = await runSql<{ reference: string; status: string }>({ payload: t.payload, query: sql`SELECT reference, status FROM communication_logs WHERE campaign_id = ${other} ORDER BY id` })
    expect(stored).toEqual(refs.map((reference) => ({ reference, status: 'sent' })))
  })
})
