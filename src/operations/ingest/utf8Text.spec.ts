import fc from 'fast-check'

import { cellProblem, UNDECODABLE } from '../../domain/ingest/index.js'
import { unmarkCells, utf8Text } from './utf8Text.js'

/** Decodes bytes fed in the given pieces, then un-marks the whole text as one cell. */
const read = (pieces: Uint8Array[]): string => {
  const text = utf8Text()
  const out = pieces.map((piece) => text.decode(piece)).join('') + text.end()
  return unmarkCells([out])[0]!
}

const split = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let from = 0
  for (const point of points) {
    pieces.push(bytes.subarray(from, point))
    from = point
  }
  pieces.push(bytes.subarray(from))
  return pieces
}

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('utf8Text', () => {
  it('should keep a genuine U+FFFD and U+FDD0 and mark nothing', () => {
    const cell = read([utf8('a\uFFFDb\uFDD0\uFDD0c\uFDD0\uFFFD')])
    expect(cell).toBe('a\uFFFDb\uFDD0\uFDD0c\uFDD0\uFFFD')
    expect(cellProblem(cell)).toBeNull()
  })

  it('should mark bad bytes, lone surrogates and overlong forms, and let cellProblem say so', () => {
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      const cell = read([new Uint8Array([0x61, ...bad, 0x62])])
      expect(cell.startsWith('a')).toBe(true)
      expect(cell).toContain(UNDECODABLE)
      expect(cellProblem(cell)).toMatch(/not valid UTF-8/)
    }
  })

  it('should join a character split across chunks and mark one left unfinished at the end', () => {
    const euro = utf8('€')
    expect(read([euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)])).toBe('€')
    expect(cellProblem(read([euro.subarray(0, 2)]))).toMatch(/UTF-8/)
  })

  it('should not take a Linear B character (high surrogate D800) for damage', () => {
    expect(cellProblem(read([utf8('\u{10000}')]))).toBeNull()
  })

  it('should agree with the WHATWG decoder on any bytes in any pieces', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ maxLength: 20, unit: 'binary' }).map(utf8),
      fc
        .tuple(fc.string({ maxLength: 10, unit: 'binary' }), fc.uint8Array({ maxLength: 4 }), fc.string({ maxLength: 10, unit: 'binary' }))
        .map(([a, bad, b]) => new Uint8Array([...utf8(a), ...bad, ...utf8(b)])),
    )
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 4 }), (input, cuts) => {
        input = input.map((byte) => byte || 1)
        const cell = read(split(input, cuts))
        const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(input)
        let isValid = true
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(input)
        } catch {
          isValid = false
        }
        if (isValid) expect(cell).toBe(lenient)
        else {
          expect(cellProblem(cell)).toMatch(/UTF-8/)
          expect(cell.replace(/\uD800(?![\uDC00-\uDFFF])/g, '\uFFFD')).toBe(lenient)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
