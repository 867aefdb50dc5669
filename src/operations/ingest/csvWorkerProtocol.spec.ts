import { CsvError } from 'csv-parse'

import type { CsvItem } from './readCsvRecords.js'

import { UNDECODABLE } from '../../domain/ingest/cells.js'
import { CHARS_PER_BATCH, createBatchPacker, createByteWindow, createChunkPacker, createCredits, createInbox, ITEMS_PER_BATCH, unpackBatch, unpackChunks } from './csvWorkerProtocol.js'

const record = (...cells: string[]): CsvItem => ({ cells, kind: 'record' })

describe('csvWorkerProtocol', () => {
  it('should pack and unpack records and unreadable items in order, with empty, multi-line and undecodable cells', () => {
    const error = new CsvError('CSV_QUOTE_NOT_CLOSED', 'Quote Not Closed: the parsing is finished with an opening quote at line 3', undefined, { lines: 3, record: 7 })
    const items: CsvItem[] = [
      record('email', 'name'),
      record('', ''),
      record('a@b.co', 'line one\nline "two"', `bad ${UNDECODABLE} bytes`, '\uFFFD\uFDD0'),
      { error, kind: 'unreadable' },
      record(),
      record('last'),
    ]
    const packer = createBatchPacker()
    for (const item of items) packer.add(item)
    // A structured clone, as postMessage does it.
    const batch = structuredClone(packer.take())
    expect(packer.isEmpty).toBe(true)
    const back = unpackBatch(batch)
    expect(back.filter((item) => item.kind === 'record')).toEqual(items.filter((item) => item.kind === 'record'))
    const unreadable = back[3]!
    expect(unreadable.kind).toBe('unreadable')
    if (unreadable.kind !== 'unreadable') return
    expect(unreadable.error).toBeInstanceOf(CsvError)
    expect({ code: unreadable.error.code, lines: unreadable.error.lines, message: unreadable.error.message, record: unreadable.error.record }).toEqual({
      code: 'CSV_QUOTE_NOT_CLOSED',
      lines: 3,
      message: error.message,
      record: 7,
    })
  })

  it('should call a batch full at its item or character limit', () => {
    const byItems = createBatchPacker()
    for (let i = 0; i < ITEMS_PER_BATCH - 1; i++) byItems.add(record('x'))
    expect(byItems.isFull).toBe(false)
    byItems.add(record('x'))
    expect(byItems.isFull).toBe(true)
    const byChars = createBatchPacker()
    byChars.add(record('y'.repeat(CHARS_PER_BATCH - 1)))
    expect(byChars.isFull).toBe(false)
    byChars.add(record('y'))
    expect(byChars.isFull).toBe(true)
  })

  it('should send chunks in one owned buffer and give them back with their boundaries', () => {
    const pool = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
    const packer = createChunkPacker()
    packer.add(pool.subarray(2, 5))
    packer.add(pool.subarray(0, 1))
    packer.add(new Uint8Array([9, 9]))
    expect(packer.bytes).toBe(6)
    const message = packer.take()
    expect(packer.isEmpty).toBe(true)
    expect(message.buffer).not.toBe(pool.buffer)
    expect(unpackChunks(message).map((chunk) => [...chunk])).toEqual([[3, 4, 5], [1], [9, 9]])
  })

  it('should make the second acquire wait for a release while the limit is out, and close waiters', async () => {
    const credits = createCredits(2)
    expect(await credits.acquire()).toBe(true)
    expect(credits.tryAcquire()).toBe(true)
    expect(credits.tryAcquire()).toBe(false)
    let got: boolean | undefined
    void credits.acquire().then((ok) => (got = ok))
    await new Promise((resolve) => setImmediate(resolve))
    expect(got).toBeUndefined()
    credits.release()
    await new Promise((resolve) => setImmediate(resolve))
    expect(got).toBe(true)
    expect(credits.out).toBe(2)
    let closed: boolean | undefined
    void credits.acquire().then((ok) => (closed = ok))
    credits.close()
    await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(false)
  })

  it('should wait for room while the bytes out reach the limit, freeing the oldest message first', async () => {
    const window = createByteWindow(100)
    expect(await window.waitForRoom()).toBe(true)
    window.sent(60)
    expect(await window.waitForRoom()).toBe(true)
    window.sent(50)
    let room: boolean | undefined
    void window.waitForRoom().then((ok) => (room = ok))
    await new Promise((resolve) => setImmediate(resolve))
    expect(room).toBeUndefined()
    window.took()
    await new Promise((resolve) => setImmediate(resolve))
    expect(room).toBe(true)
    expect(window.out).toBe(50)
    window.sent(70)
    let closed: boolean | undefined
    void window.waitForRoom().then((ok) => (closed = ok))
    window.close()
    await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(false)
  })

  it('should hand queued values to the taker in order and wake a waiting taker', async () => {
    const inbox = createInbox<number>()
    inbox.push(1)
    inbox.push(2)
    expect(await inbox.take()).toBe(1)
    expect(await inbox.take()).toBe(2)
    const waiting = inbox.take()
    inbox.push(3)
    expect(await waiting).toBe(3)
    expect(inbox.size).toBe(0)
  })
})
