import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'

import { toExportCell } from '../../src/domain/ingest/index.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { postCsv } from '../helpers/csv.js'
import { createUserWithRole } from '../helpers/users.js'

type Person = { city: string; name: string; phone: string; spend: number; visits: number }

// Text with the characters CSV and spreadsheets care about, a literal U+FFFD and the reader's
// internal escape U+FDD0 (both must import as themselves), plus any printable unicode grapheme.
const SPECIALS = [',', '"', '\n', '\r\n', '=', '+', '-', '@', "'", ';', '|', ' ', '\t', '\uFFFD', '\uFDD0']
const unit = fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ maxLength: 1, minLength: 1, unit: 'grapheme' }))
const text = fc.string({ maxLength: 24, unit }).map((value) => value.trim())
const person = fc.record<Person>({
  city: text,
  name: text,
  phone: fc.oneof(text, fc.stringMatching(/^\+91[6-9]\d{9}$/)),
  spend: fc.oneof(fc.nat({ max: 1_000_000 }), fc.integer({ max: 99_999_999, min: 0 }).map((cents) => cents / 100)),
  visits: fc.nat({ max: 10_000 }),
})

/** Mutations of a valid file, applied to the text from one row on. */
const mutation = fc.oneof(
  fc.constant('cut-quote' as const),
  fc.constant('stray-delimiter' as const),
  fc.constant('mixed-line-ends' as const),
  fc.constant('huge-cell' as const),
  fc.constant('bad-utf8' as const),
)

describe('CSV import properties', () => {
  let t: TestPayload
  let marketer: TestUser
  let run = 0

  const customersOf = async (prefix: string) =>
    (
      await t.payload.find({
        collection: 'customers',
        depth: 0,
        limit: 0,
        overrideAccess: true,
        pagination: false,
        sort: 'email',
        where: { email: { like: `${prefix}-` } },
      })
    ).docs

  /** A request body in two chunks, so damage after the first is "in the middle" of the upload. */
  const twoChunks = (first: Uint8Array, rest: Uint8Array): RequestInit => ({
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(first)
        controller.enqueue(rest)
        controller.close()
      },
    }),
    duplex: 'half',
    headers: { authorization: `JWT ${marketer.token}`, 'content-type': 'text/csv' },
    method: 'POST',
  } as RequestInit)

  beforeAll(async () => {
    t = await bootTestPayload('csv-properties')
    marketer = await createUserWithRole(t.payload, 'marketer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should round-trip random valid rows through import and export', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, { maxLength: 12, minLength: 1 }), async (people) => {
        run += 1
        const prefix = `rt${run}`
        const rows = people.map((p, i) => [`${prefix}-${i}@example.com`, p.name, p.phone, p.city, p.visits, p.spend].map(toExportCell))
        const csv = stringify([['email', 'name', 'phone', 'city', 'visits', 'spend'], ...rows])
        const res = await postCsv({ body: csv, slug: 'customers', t, token: marketer.token })
        expect(res.status).toBe(200)
        expect(await res.json()).toMatchObject({ created: people.length, errors: [], failed: 0, rows: people.length })

        const exported = await t.request(`/api/customers/export?where[email][like]=${prefix}-`, { headers: { authorization: `JWT ${marketer.token}` } })
        const records = parse(await exported.text(), { columns: true }) as Record<string, string>[]
        const byEmail = new Map(records.map((record) => [record.email, record]))
        people.forEach((p, i) => {
          const record = byEmail.get(`${prefix}-${i}@example.com`)!
          // What the export wrote reads back (after the importer's prefix removal) as what was imported.
          expect([record.name, record.phone, record.city].map((cell) => (/^'+[=+\-@]/.test(cell!) ? cell!.slice(1) : cell))).toEqual([p.name, p.phone, p.city])
          expect(Number(record.visits)).toBe(p.visits)
          expect(Number(record.spend)).toBe(p.spend)
        })
        const before = await customersOf(prefix)
        const again = await postCsv({ body: await (await t.request(`/api/customers/export?where[email][like]=${prefix}-`, { headers: { authorization: `JWT ${marketer.token}` } })).text(), slug: 'customers', t, token: marketer.token })
        expect(await again.json()).toMatchObject({ created: 0, failed: 0, updated: people.length })
        expect((await customersOf(prefix)).map(({ updatedAt: _, ...doc }) => doc)).toEqual(before.map(({ updatedAt: _, ...doc }) => doc))
      }),
      { numRuns: 8 },
    )
  })

  it('should import a literal U+FFFD and refuse only the row whose bytes are not UTF-8', async () => {
    const encoder = new TextEncoder()
    const head = encoder.encode('email,name\nfffd-0@example.com,a\uFFFDb\uFDD0c\n')
    const rest = new Uint8Array([...encoder.encode('fffd-1@example.com,x'), 0xc3, 0x28, ...encoder.encode('y\nfffd-2@example.com,\uFFFD\n')])
    const res = await t.request('/api/customers/import', twoChunks(head, rest))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      created: 2,
      errors: [{ column: 'name', message: expect.stringMatching(/not valid UTF-8/), row: 2 }],
      failed: 1,
    })
    expect((await customersOf('fffd')).map((doc) => [doc.email, doc.name])).toEqual([
      ['fffd-0@example.com', 'a\uFFFDb\uFDD0c'],
      ['fffd-2@example.com', '\uFFFD'],
    ])
  })

  it('should never crash on a damaged file and never lose a good row before the damage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ city: text, name: text }), { maxLength: 10, minLength: 2 }),
        fc.nat(),
        mutation,
        async (people, at, kind) => {
          run += 1
          const prefix = `mut${run}`
          const damaged = 1 + (at % (people.length - 1))
          const lines = people.map((p, i) => stringify([[`${prefix}-${i}@example.com`, toExportCell(p.name), toExportCell(p.city)]]))
          const head = `email,name,city\n${lines.slice(0, damaged).join('')}`
          let tail = lines.slice(damaged).join('')
          if (kind === 'cut-quote') tail = `"${tail}`
          if (kind === 'stray-delimiter') tail = tail.replace(/,/, ',,"x"y,')
          if (kind === 'mixed-line-ends') tail = tail.replace(/\n/g, (_, i: number) => (i % 2 === 0 ? '\r' : '\r\n'))
          if (kind === 'huge-cell') tail = tail.replace(/,/, `,${'h'.repeat(70 * 1024)},`)
          const encoder = new TextEncoder()
          const rest = kind === 'bad-utf8' ? new Uint8Array([...encoder.encode('x'), 0xff, 0xc3, 0x28, ...encoder.encode(tail)]) : encoder.encode(tail)
          const res = await t.request('/api/customers/import', twoChunks(encoder.encode(head), rest))
          expect(res.status).toBe(200)
          const answer = (await res.json()) as { created: number; errors: { message: string }[]; failed: number; rows: number; updated: number }
          expect(answer.created + answer.updated + answer.failed).toBe(answer.rows)
          // The bad bytes land in the first damaged row's email: that row fails, saying why.
          if (kind === 'bad-utf8') expect(answer.errors.map((error) => error.message)).toContainEqual(expect.stringMatching(/not valid UTF-8/))
          const stored = new Map((await customersOf(prefix)).map((doc) => [doc.email, doc]))
          for (let i = 0; i < damaged; i += 1) {
            const doc = stored.get(`${prefix}-${i}@example.com`)
            expect(doc).toBeDefined()
            expect(doc!.name ?? '').toBe(people[i]!.name)
          }
        },
      ),
      { numRuns: 15 },
    )
    // The server still answers.
    expect((await t.request('/api/health')).status).toBe(200)
  })
})
