import { UNDECODABLE } from '../../domain/ingest/index.js'
import { readCsvRecords } from './readCsvRecords.js'

const recordsOf = async (pieces: number[][]): Promise<string[][]> => {
  async function* source() {
    for (const piece of pieces) yield new Uint8Array(piece)
  }
  const records: string[][] = []
  for await (const item of readCsvRecords(source())) if (item.kind === 'record') records.push(item.cells)
  return records
}

const bytes = (text: string) => [...new TextEncoder().encode(text)]

describe('readCsvRecords', () => {
  it('should drop a BOM split across the first chunks', async () => {
    expect(await recordsOf([[0xef], [0xbb], [0xbf, ...bytes('email\na@b.co\n')]])).toEqual([['email'], ['a@b.co']])
  })

  it('should keep a genuine U+FFFD split across chunks and mark bad bytes in their own cell only', async () => {
    const fffd = bytes('\uFFFD')
    expect(await recordsOf([[...bytes('name,city\nx'), fffd[0]!], [...fffd.slice(1), ...bytes(',y\nz,'), 0xff, ...bytes('w\n')]])).toEqual([
      ['name', 'city'],
      ['x\uFFFD', 'y'],
      ['z', `${UNDECODABLE}w`],
    ])
  })
})
