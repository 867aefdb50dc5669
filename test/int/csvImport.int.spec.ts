import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { sql as drizzleSql } from 'drizzle-orm'
import { Readable } from 'node:stream'

import { runSql } from '../../src/bulk/index.js'
import { importCustomersCsv } from '../../src/operations/ingest/importCustomersCsv.js'
import { importOrdersCsv } from '../../src/operations/ingest/importOrdersCsv.js'
import { parseWorkerCounts } from '../../src/operations/ingest/readCsvRecordsInWorker.js'
import { aggregatesFromScratch } from '../helpers/aggregates.js'
import { currentTestDb } from '../helpers/testDb.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { importCsv, multipartCsv, postCsv } from '../helpers/csv.js'
import { createUserWithRole } from '../helpers/users.js'

describe('CSV import', () => {
  let t: TestPayload
  let marketer: TestUser
  let viewer: TestUser

  const customers = (body: BodyInit, contentType?: string) => importCsv({ body, contentType, slug: 'customers', t, token: marketer.token })
  const orders = (body: BodyInit, contentType?: string) => importCsv({ body, contentType, slug: 'orders', t, token: marketer.token })
  const customer = async (email: string) => {
    const { docs } = await t.payload.find({ collection: 'customers', depth: 0, overrideAccess: true, where: { email: { equals: email } } })
    return docs[0]
  }
  const order = async (externalId: string) => {
    const { docs } = await t.payload.find({ collection: 'orders', depth: 0, overrideAccess: true, where: { externalId: { equals: externalId } } })
    return docs[0]
  }
  const errorOf = async (res: Response) => ((await res.json()) as { errors: { message: string }[] }).errors[0]!.message

  beforeAll(async () => {
    t = await bootTestPayload('csv-import')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  describe('access', () => {
    it('should answer 401 without authentication and 403 for a viewer', async () => {
      for (const slug of ['customers', 'orders']) {
        const anonymous = await postCsv({ body: 'email\na@b.co\n', slug, t })
        expect(anonymous.status).toBe(401)
        const denied = await postCsv({ body: 'email\na@b.co\n', slug, t, token: viewer.token })
        expect(denied.status).toBe(403)
        expect(await errorOf(denied)).toMatch(/admin, marketer/)
      }
      expect(await customer('a@b.co')).toBeUndefined()
    })
  })

  describe('customers', () => {
    it('should read a messy file: BOM, CRLF, quoted commas, quotes and newlines, unicode, empty lines, synonyms', async () => {
      const csv =
        '\uFEFFE-Mail,Full Name,Town,Mobile,Labels,Total Visits,Lifetime Value,Unsubscribed,Joined,Loyalty Tier\r\n' +
        'Priya.Sharma@Example.in,"Sharma, Priya",Pune,+919876543210,vip;new,3,1500.5,no,2025-01-15,gold\r\n' +
        '\r\n' +
        'zoë@example.com,"Zoë ""Z"" Ødegård",Zürich,,a|b,0,0,yes,2024-12-31T23:30:00+05:30,\r\n' +
        'line@example.com,"two\r\nlines",मुंबई,,,,,1,,\r\n'
      const answer = await customers(csv)
      expect(answer).toEqual({ created: 3, errors: [], failed: 0, rows: 3, unchanged: 0, updated: 0, warnings: [] })
      const priya = await customer('priya.sharma@example.in')
      expect(priya).toMatchObject({
        attributes: { loyaltyTier: 'gold' },
        baseSpend: 1500.5,
        city: 'Pune',
        marketingOptOut: false,
        name: 'Sharma, Priya',
        phone: '+919876543210',
        tags: ['vip', 'new'],
        totalSpend: 1500.5,
        visits: 3,
      })
      expect(priya!.createdAt).toBe('2025-01-15T00:00:00.000Z')
      expect(await customer('zoë@example.com')).toMatchObject({ city: 'Zürich', marketingOptOut: true, name: 'Zoë "Z" Ødegård', tags: ['a', 'b'] })
      expect((await customer('zoë@example.com'))!.createdAt).toBe('2024-12-31T18:00:00.000Z')
      expect(await customer('line@example.com')).toMatchObject({ city: 'मुंबई', marketingOptOut: true, name: 'two\r\nlines' })
    })

    it('should take a multipart upload in the field "file"', async () => {
      const answer = await customers(multipartCsv('email,name\nmulti@example.com,Multi Part\n'), '')
      expect(answer).toMatchObject({ created: 1, rows: 1 })
      expect((await customer('multi@example.com'))!.name).toBe('Multi Part')
    })

    it('should keep the rows read before a multipart upload breaks off, and say where it stopped', async () => {
      const boundary = 'crm-test-boundary'
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        'email,name\ncut1@example.com,One\ncut2@example.com,Two\n'
      const answer = await customers(body, `multipart/form-data; boundary=${boundary}`)
      expect(answer).toMatchObject({ created: 2, rows: 2 })
      expect(answer.errors).toEqual([{ message: expect.stringMatching(/broke off.*nothing after row 2/), row: 3 }])
      const missing = await postCsv({ body: 'no boundary here', contentType: 'multipart/form-data', slug: 'customers', t, token: marketer.token })
      expect(missing.status).toBe(400)
      const noFile = await postCsv({ body: multipartCsv('email\nx@example.com\n'), contentType: '', slug: 'customers', t, token: marketer.token })
      expect(noFile.status).toBe(200)
    })

    it('should leave absent columns and empty cells alone, and count matched rows as updated', async () => {
      await customers('email,name,city,visits\nkeep@example.com,Keep Me,Delhi,4\n')
      const answer = await customers('email,city,visits,Extra Col\nKEEP@example.com,,7,x\n')
      expect(answer).toMatchObject({ created: 0, rows: 1, unchanged: 0, updated: 1 })
      // The same values again: matched (updated, per the contract) and unchanged.
      expect(await customers('email,city,visits,Extra Col\nKEEP@example.com,,7,x\n')).toMatchObject({ created: 0, unchanged: 1, updated: 1 })
      expect(await customer('keep@example.com')).toMatchObject({ attributes: { extraCol: 'x' }, city: 'Delhi', name: 'Keep Me', visits: 7 })
    })

    it('should report bad rows with row and column and still import the good ones', async () => {
      const csv = 'email,visits,spend,signup date\nok1@example.com,1,10,2025-03-01\nnot-an-email,1,1,\nbad@example.com,-2,abc,01/03/2025\n,,,\nok2@example.com,,,\n'
      const answer = await customers(csv)
      expect(answer.rows).toBe(4)
      expect(answer.created).toBe(2)
      expect(answer.failed).toBe(2)
      expect(answer.errors.map((error) => [error.row, error.column])).toEqual([
        [2, 'email'],
        [3, 'visits'],
        [3, 'spend'],
        [3, 'signup date'],
      ])
      expect(await customer('bad@example.com')).toBeUndefined()
      expect(await customer('ok2@example.com')).toBeDefined()
    })

    it('should let the later of two rows with the same email win and warn about the earlier', async () => {
      const answer = await customers('email,name,city\ndup@example.com,First,Goa\nother@example.com,Other,\nDUP@example.com,Second,\n')
      expect(answer).toMatchObject({ created: 2, failed: 0, rows: 3, updated: 1 })
      expect(answer.warnings).toEqual([{ column: 'email', message: expect.stringMatching(/Replaced by row 3/), row: 1 }])
      // The later row is applied after the earlier one: its empty city leaves Goa.
      expect(await customer('dup@example.com')).toMatchObject({ city: 'Goa', name: 'Second' })
    })

    it('should accept extra and missing cells in ragged rows', async () => {
      const answer = await customers('email,name,city\nragged1@example.com,Only Name\nragged2@example.com,Two,Agra,surplus,cells\n')
      expect(answer).toMatchObject({ created: 2, failed: 0, rows: 2 })
      expect(await customer('ragged2@example.com')).toMatchObject({ city: 'Agra', name: 'Two' })
    })

    it('should answer 200 with rows 0 for headers only', async () => {
      expect(await customers('email,name\r\n')).toEqual({ created: 0, errors: [], failed: 0, rows: 0, unchanged: 0, updated: 0, warnings: [] })
    })

    it.each([
      ['an empty body', '', /empty/],
      ['a BOM only', '\uFEFF', /empty/],
      ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /NUL bytes/],
      ['invalid UTF-8', new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x41]), /not valid UTF-8/],
      ['no email column', 'name,city\nA,B\n', /no email column/],
    ])('should answer 400 for %s', async (_label, body, message) => {
      const res = await postCsv({ body, slug: 'customers', t, token: marketer.token })
      expect(res.status).toBe(400)
      expect(await errorOf(res)).toMatch(message)
    })

    it('should answer 415 for a JSON body', async () => {
      const res = await postCsv({ body: '{}', contentType: 'application/json', slug: 'customers', t, token: marketer.token })
      expect(res.status).toBe(415)
    })

    it('should make the rest of the file one error after an unclosed quote, keeping the rows before it', async () => {
      const answer = await customers('email,name\nbefore1@example.com,A\nbefore2@example.com,B\nlost@example.com,"never closed\nafter@example.com,C\n')
      expect(answer).toMatchObject({ created: 2, failed: 1, rows: 3 })
      expect(answer.errors).toEqual([{ message: expect.stringMatching(/never closed.*rest of the file/), row: 3 }])
      expect(await customer('before2@example.com')).toBeDefined()
      expect(await customer('after@example.com')).toBeUndefined()
    })

    it('should make a cell over 64 KiB, and a 5 MB field, row errors', async () => {
      const csv = `email,name\nbig@example.com,${'x'.repeat(64 * 1024 + 1)}\nhuge@example.com,"${'y'.repeat(5 * 1024 * 1024)}"\nsmall@example.com,${'z'.repeat(60 * 1024)}\n`
      const answer = await customers(csv)
      expect(answer).toMatchObject({ created: 1, failed: 2, rows: 3 })
      expect(answer.errors.map((error) => [error.row, error.column])).toEqual([
        [1, 'name'],
        [2, 'name'],
      ])
      expect(answer.errors[0]!.message).toMatch(/64 KiB/)
      expect((await customer('small@example.com'))!.name).toHaveLength(60 * 1024)
    })

    it('should change nothing when the same file is imported again', async () => {
      const csv = 'email,name,tags,visits,spend\nsame1@example.com,Same One,a;b,2,5\nsame2@example.com,Same Two,,0,0\n'
      expect(await customers(csv)).toMatchObject({ created: 2, updated: 0 })
      const before = await customer('same1@example.com')
      expect(await customers(csv)).toMatchObject({ created: 0, failed: 0, rows: 2, unchanged: 2, updated: 2 })
      const after = await customer('same1@example.com')
      const { updatedAt: _a, ...beforeValues } = before!
      const { updatedAt: _b, ...afterValues } = after!
      expect(afterValues).toEqual(beforeValues)
    })
  })

  describe('parsing thread', () => {
    const setting = process.env.CRM_IMPORT_PARSE_WORKER
    afterEach(() => {
      if (setting === undefined) delete process.env.CRM_IMPORT_PARSE_WORKER
      else process.env.CRM_IMPORT_PARSE_WORKER = setting
    })

    it('should answer the same with the worker thread on and off (CRM_IMPORT_PARSE_WORKER) and leave no thread behind', async () => {
      const answers = []
      for (const [value, prefix] of [['1', 'on'], ['0', 'off']] as const) {
        process.env.CRM_IMPORT_PARSE_WORKER = value
        const before = parseWorkerCounts().started
        const csv = `email,name,visits\n${prefix}1@example.com,"Quoted, Name",3\n${prefix}2@example.com,Two,nope\n${prefix}1@example.com,Again,4\n${prefix}3@example.com,"never closed\n`
        answers.push(JSON.parse(JSON.stringify(await customers(csv)).replaceAll(`${prefix}1@`, 'x1@')))
        expect(parseWorkerCounts()).toEqual({ live: 0, started: before + (value === '1' ? 1 : 0) })
      }
      expect(answers[0]).toEqual(answers[1])
      expect(answers[0]).toMatchObject({ created: 1, failed: 2, rows: 4, updated: 1 })
    })

    it('should keep the rows before an upload that breaks off mid-stream, and stop the thread', async () => {
      process.env.CRM_IMPORT_PARSE_WORKER = '1'
      const before = parseWorkerCounts().started
      const encoder = new TextEncoder()
      let pulls = 0
      const res = await t.request('/api/customers/import', {
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls += 1
            if (pulls === 1) controller.enqueue(encoder.encode('email,name\ngone1@example.com,One\ngone2@example.com,Tw'))
            else controller.error(new Error('client went away'))
          },
        }),
        duplex: 'half',
        headers: { authorization: `JWT ${marketer.token}`, 'content-type': 'text/csv' },
        method: 'POST',
      } as RequestInit)
      const answer = (await res.json()) as { errors: { message: string; row: number }[]; rows: number }
      expect(res.status).toBe(200)
      expect(answer).toMatchObject({ created: 1, rows: 1 })
      expect(answer.errors).toEqual([{ message: expect.stringMatching(/broke off \(client went away\).*nothing after row 1/), row: 2 }])
      expect(await customer('gone1@example.com')).toBeDefined()
      expect(parseWorkerCounts()).toEqual({ live: 0, started: before + 1 })
    })
  })

  describe('across batches', () => {
    const source = (text: string) => Readable.from([Buffer.from(text)])
    const keyTables = async (): Promise<string[]> => {
      const sql =
        currentTestDb() === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE name LIKE 'crm_import_keys_%'"
          : "SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'crm_import_keys_%'"
      return (await runSql<{ name: string }>({ payload: t.payload, query: drizzleSql.raw(sql) })).map((row) => row.name)
    }

    it('should find a key repeated in another batch through the staging table, and drop the table', async () => {
      const csv =
        'email,name,city\nx1@example.com,One,Goa\nx2@example.com,Two,\nx3@example.com,Three,\nX1@example.com,One Again,\nbad,,\nx2@example.com,Two Again,Agra\nx1@example.com,Last,\n'
      const result = await importCustomersCsv({ batchRows: 2, payload: t.payload, source: source(csv) })
      if (!result.ok) throw new Error(result.message)
      expect(result.report).toMatchObject({ created: 3, failed: 1, rows: 7, updated: 3 })
      expect(result.report.errors.map((error) => error.row)).toEqual([5])
      // Each earlier row names the row that replaced it, across batches of two rows.
      const replacedBy = result.report.warnings.map((warning) => `${warning.row}→${/row (\d+)/.exec(warning.message)![1]}`)
      expect(replacedBy.sort()).toEqual(['1→4', '2→6', '4→7'])
      expect(await customer('x1@example.com')).toMatchObject({ city: 'Goa', name: 'Last' })
      expect(await customer('x2@example.com')).toMatchObject({ city: 'Agra', name: 'Two Again' })
      expect(await keyTables()).toEqual([])
    })

    it('should find repeated order ids across batches', async () => {
      const csv = 'order id,customer email,amount,ordered at\nb-1,bee@example.com,5,2025-01-01\nb-2,bee@example.com,6,2025-01-01\nb-1,bee@example.com,7,2025-01-01\n'
      const result = await importOrdersCsv({ batchRows: 1, payload: t.payload, source: source(csv) })
      if (!result.ok) throw new Error(result.message)
      expect(result.report).toMatchObject({ created: 2, failed: 0, rows: 3, unchanged: 0, updated: 1 })
      expect(result.report.warnings).toEqual([{ column: 'order id', message: expect.stringMatching(/Replaced by row 3/), row: 1 }])
      expect(await customer('bee@example.com')).toMatchObject({ orderCount: 2, totalSpend: 13 })
      expect(await keyTables()).toEqual([])
    })
  })

  describe('orders', () => {
    it('should link orders by customer email, create bare customers and derive aggregates', async () => {
      await customers('email,name,spend\nbuyer@example.com,Buyer,100\n')
      const csv =
        'Order ID,Email,Total,Order Date,Currency,Status\n' +
        'o-1,BUYER@example.com,250,2025-03-01,INR,paid\n' +
        'o-2,buyer@example.com,50.5,2025-04-01T10:00:00+05:30,,\n' +
        'o-3,buyer@example.com,999,2025-05-01,,cancelled\n' +
        'o-4,newbie@example.com,10,2025-02-01,inr,delivered\n'
      const answer = await orders(csv)
      expect(answer).toEqual({ created: 4, errors: [], failed: 0, rows: 4, unchanged: 0, updated: 0, warnings: [] })
      expect(await customer('buyer@example.com')).toMatchObject({ lastOrderAt: '2025-04-01T04:30:00.000Z', orderCount: 2, totalSpend: 400.5 })
      expect(await customer('newbie@example.com')).toMatchObject({ orderCount: 1, totalSpend: 10 })
      expect(await order('o-2')).toMatchObject({ currency: 'INR', status: 'placed' })
      const { expected, stored } = await aggregatesFromScratch(t.payload)
      expect(stored).toEqual(expected)
    })

    it('should report missing fields, another currency and an unknown status per row', async () => {
      const csv = 'order id,customer email,amount,date,currency,status\no-10,,5,2025-01-01,,\no-11,x@example.com,,2025-01-01,USD,lost\no-12,x@example.com,5,,,\n,x@example.com,5,2025-01-01,,\no-13,x@example.com,5,2025-01-01,,\n'
      const answer = await orders(csv)
      expect(answer).toMatchObject({ created: 1, failed: 4, rows: 5 })
      expect(answer.errors.map((error) => [error.row, error.column])).toEqual([
        [1, 'customer email'],
        [2, 'currency'],
        [2, 'status'],
        [2, 'amount'],
        [3, 'date'],
        [4, 'order id'],
      ])
      expect(answer.errors[1]!.message).toMatch(/store currency INR/)
    })

    it('should refuse a file without an order id column', async () => {
      const res = await postCsv({ body: 'email,amount\na@b.co,1\n', slug: 'orders', t, token: marketer.token })
      expect(res.status).toBe(400)
      expect(await errorOf(res)).toMatch(/no order id column/)
    })

    it('should change nothing when the same orders are imported twice, and fix both customers when an order moves', async () => {
      const csv = 'order id,customer email,amount,ordered at\nm-1,alice@example.com,100,2025-01-01\nm-2,alice@example.com,20,2025-01-02\n'
      expect(await orders(csv)).toMatchObject({ created: 2, updated: 0 })
      const first = await order('m-1')
      expect(await orders(csv)).toMatchObject({ created: 0, failed: 0, unchanged: 2, updated: 2 })
      expect((await order('m-1'))!.updatedAt).toBe(first!.updatedAt)
      expect(await customer('alice@example.com')).toMatchObject({ orderCount: 2, totalSpend: 120 })

      expect(await orders('order id,customer email,amount,ordered at\nm-1,bob@example.com,100,2025-01-01\n')).toMatchObject({ updated: 1 })
      expect(await customer('alice@example.com')).toMatchObject({ orderCount: 1, totalSpend: 20 })
      expect(await customer('bob@example.com')).toMatchObject({ orderCount: 1, totalSpend: 100 })
      const { expected, stored } = await aggregatesFromScratch(t.payload)
      expect(stored).toEqual(expected)
    })

    it('should keep unknown order columns in attributes, merged key by key on re-import', async () => {
      const first = await orders('order id,customer email,amount,ordered at,Sales Channel,Coupon\nat-1,attr@example.com,10,2025-01-01,app,SAVE10\n')
      expect(first).toMatchObject({ created: 1, failed: 0 })
      expect((await order('at-1'))!.attributes).toEqual({ coupon: 'SAVE10', salesChannel: 'app' })
      // An empty cell leaves its key alone; a new value replaces it; the same file again changes nothing.
      const csv = 'order id,customer email,amount,ordered at,Sales Channel,Coupon\nat-1,attr@example.com,10,2025-01-01,web,\n'
      expect(await orders(csv)).toMatchObject({ unchanged: 0, updated: 1 })
      expect((await order('at-1'))!.attributes).toEqual({ coupon: 'SAVE10', salesChannel: 'web' })
      expect(await orders(csv)).toMatchObject({ unchanged: 1, updated: 1 })
    })

    it('should let the later of two rows with the same order id win', async () => {
      const answer = await orders('order id,customer email,amount,ordered at\nd-1,carol@example.com,5,2025-01-01\nd-1,carol@example.com,7,2025-01-01\n')
      expect(answer).toMatchObject({ created: 1, rows: 2, updated: 1, warnings: [{ column: 'order id', row: 1 }] })
      expect((await order('d-1'))!.amount).toBe(7)
      expect(await customer('carol@example.com')).toMatchObject({ orderCount: 1, totalSpend: 7 })
    })
  })
})
