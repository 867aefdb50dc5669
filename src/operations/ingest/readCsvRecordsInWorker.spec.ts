import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'

import type { CsvItem } from './readCsvRecords.js'

import { UNDECODABLE } from '../../domain/ingest/cells.js'
import { CsvInputError, CsvUploadError, readCsvRecords } from './readCsvRecords.js'
import { parseWorkerCounts, readCsvRecordsInWorker } from './readCsvRecordsInWorker.js'

const bytes = (text: string) => new TextEncoder().encode(text)

/** A source of the given chunks; `brokeAfter` throws once that many were read. */
const sourceOf = (chunks: Uint8Array[], { brokeAfter }: { brokeAfter?: number } = {}) => {
  const state = { pulled: 0, pulledBytes: 0 }
  const source = (async function* () {
    for (const chunk of chunks) {
      if (brokeAfter !== undefined && state.pulled === brokeAfter) throw new Error('aborted')
      state.pulled += 1
      state.pulledBytes += chunk.byteLength
      yield chunk
    }
  })()
  return { source, state }
}

/** Items as comparable data (an unreadable record by its code, line and message), then how it ended. */
const collect = async (items: AsyncIterable<CsvItem>) => {
  const out: unknown[] = []
  try {
    for await (const item of items) {
      out.push(item.kind === 'record' ? item.cells : { code: item.error.code, lines: item.error.lines, message: item.error.message })
    }
    out.push('end')
  } catch (err) {
    out.push({ class: (err as Error).constructor.name, message: (err as Error).message })
  }
  return out
}

/** Both readers on the same chunks (with a break after `brokeAfter`): the worker must give what the thread gives. */
const both = async (chunks: Uint8Array[], options: { brokeAfter?: number } = {}) => {
  const inThread = await collect(readCsvRecords(sourceOf(chunks, options).source))
  const inWorker = await collect(readCsvRecordsInWorker(sourceOf(chunks, options).source, {
      warn: (message) => {
        throw new Error(`unexpected fallback: ${message}`)
      },
    }))
  return { inThread, inWorker }
}

const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10))
  return check()
}

describe('readCsvRecordsInWorker', () => {
  afterEach(async () => {
    expect(await waitFor(() => parseWorkerCounts().live === 0)).toBe(true)
  })

  it('should give the same items as in the thread: BOM split across chunks, quotes, CRLF, bad bytes later, an unreadable record, an unclosed quote', async () => {
    const text = bytes('\uFEFFemail,name\r\na@b.co,"Smith, ""Jo"""\r\n\r\nmulti@b.co,"two\nlines"\nx@b.co,"a"b\ny@b.co,ok\nz@b.co,"never closed\nlast,row\n')
    const cut = text.indexOf(0x0a, 30) + 1
    const chunks = [text.subarray(0, 1), text.subarray(1, 2), text.subarray(2, cut), new Uint8Array([...bytes('q@b.co,'), 0xff, ...bytes('\r\n')]), text.subarray(cut)]
    const { inThread, inWorker } = await both(chunks)
    expect(inWorker).toEqual(inThread)
    expect(inWorker).toContainEqual(['q@b.co', UNDECODABLE])
    expect(inWorker).toContainEqual(expect.objectContaining({ code: 'CSV_QUOTE_NOT_CLOSED' }))
    expect(inWorker.at(-1)).toBe('end')
  })

  it('should refuse NUL bytes or bad UTF-8 in the first chunk, and an empty body, with the same errors', async () => {
    for (const chunks of [[bytes('email\0\n')], [new Uint8Array([0xc3, 0x28, 0x0a])], [], [new Uint8Array(0)]]) {
      const { inThread, inWorker } = await both(chunks)
      expect(inWorker).toEqual(inThread)
      expect(inWorker.at(-1)).toMatchObject({ class: CsvInputError.name })
    }
  })

  it('should give every record read before the upload broke off, then the same CsvUploadError', async () => {
    const chunks = [bytes('email,name\na@b.co,A\nb@b.co,'), bytes('B\nc@b.co,C\n'), bytes('d@b.co,D\n')]
    const { inThread, inWorker } = await both(chunks, { brokeAfter: 2 })
    expect(inWorker).toEqual(inThread)
    expect(inWorker).toEqual([['email', 'name'], ['a@b.co', 'A'], ['b@b.co', 'B'], ['c@b.co', 'C'], { class: CsvUploadError.name, message: 'aborted' }])
  })

  it('should read a stream that errors while the thread is still loading (a multipart body cut short)', async () => {
    const cutShort = () => {
      const stream = new Readable({ read: () => undefined })
      stream.push(bytes('email,name\na@b.co,A\nb@b.co,B\n'))
      setImmediate(() => stream.destroy(new Error('Unexpected end of form')))
      return stream
    }
    const inThread = await collect(readCsvRecords(cutShort()))
    const inWorker = await collect(readCsvRecordsInWorker(cutShort()))
    expect(inWorker).toEqual(inThread)
    expect(inWorker).toEqual([['email', 'name'], ['a@b.co', 'A'], ['b@b.co', 'B'], { class: CsvUploadError.name, message: 'Unexpected end of form' }])
  })

  it('should read the upload only a few batches ahead of a consumer that stopped pulling, and all of it once it pulls', async () => {
    // 240,000 rows of 100 bytes (24 MB) in 4 KiB chunks: far more than the bytes and batches in flight.
    const rows = 240_000
    const filler = 'n'.repeat(75)
    const text = bytes(`email,name\n${Array.from({ length: rows }, (_, i) => `${String(i).padStart(6, '0')}@example.com,${filler}\n`).join('')}`)
    const chunks: Uint8Array[] = []
    for (let at = 0; at < text.length; at += 4096) chunks.push(text.subarray(at, at + 4096))
    const { source, state } = sourceOf(chunks)
    const items = readCsvRecordsInWorker(source)[Symbol.asyncIterator]()
    try {
      expect((await items.next()).value).toEqual({ cells: ['email', 'name'], kind: 'record' })
      // It settles: nothing more is read while nobody pulls.
      let settled = -1
      for (let tries = 0; tries < 30 && state.pulled !== settled; tries++) {
        settled = state.pulled
        await new Promise((resolve) => setTimeout(resolve, 300))
      }
      expect(state.pulled).toBe(settled)
      expect(state.pulledBytes).toBeLessThan(text.length / 3)
      let count = 1
      for (;;) {
        const next = await items.next()
        if (next.done) break
        count += 1
      }
      expect(count).toBe(rows + 1)
      expect(state.pulled).toBe(chunks.length)
    } finally {
      await items.return?.()
    }
  })

  it('should end its thread when the consumer stops early', async () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => bytes(`${i}@example.com,name\n`))
    for await (const item of readCsvRecordsInWorker(sourceOf(chunks).source)) {
      expect(item.kind).toBe('record')
      expect(parseWorkerCounts().live).toBe(1)
      break
    }
    expect(parseWorkerCounts().live).toBe(0)
  })

  it('should parse in the thread, with a warning, when the worker cannot start', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'csv-worker-'))
    try {
      const broken = path.join(dir, 'broken.cjs')
      writeFileSync(broken, "throw new Error('cannot load')\n")
      const chunks = [bytes('email,name\na@b.co,A\nb@b'), bytes('.co,B\n'), bytes('c@b.co,C\n')]
      for (const entry of [broken, path.join(dir, 'missing.cjs')]) {
        for (const brokeAfter of [undefined, 2]) {
          const warnings: string[] = []
          const inThread = await collect(readCsvRecords(sourceOf(chunks, { brokeAfter }).source))
          const items = await collect(readCsvRecordsInWorker(sourceOf(chunks, { brokeAfter }).source, { entry, warn: (message) => warnings.push(message) }))
          expect(items).toEqual(inThread)
          expect(items.slice(0, 3)).toEqual([['email', 'name'], ['a@b.co', 'A'], ['b@b.co', 'B']])
          expect(warnings).toEqual([expect.stringMatching(/could not start.*parsing in the import's thread/)])
        }
      }
    } finally {
      rmSync(dir, { force: true, recursive: true })
    }
  })
})
