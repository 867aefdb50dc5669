import { isUtf8 } from 'node:buffer'

import { UNDECODABLE } from '../../domain/ingest/cells.js'

/**
 * UTF-8 bytes → text that says where the bytes were not UTF-8, without mistaking a genuine U+FFFD
 * for damage. The bytes are validated (`isUtf8`, WHATWG-strict like a fatal `TextDecoder`), never inferred from the decoder's
 * replacement character.
 *
 * The text passes through csv-parse, which re-encodes it, so the mark for bad bytes must be valid
 * text: the noncharacter U+FDD0 (reserved by Unicode for internal use) escapes. A genuine U+FDD0 is
 * written twice; U+FDD0 followed by U+FFFD marks a run of bad bytes. `unmarkCells` turns a parsed
 * record back: genuine U+FDD0 restored, each bad run → `UNDECODABLE` (a lone surrogate, which no
 * decoder produces), which `cellProblem` reports.
 */
const ESC = '\uFDD0'
const BAD_RUN = `${ESC}\uFFFD`

export type Utf8Text = {
  /** Text for the next chunk (a multi-byte character split by the chunk end waits for the next). */
  decode: (chunk: Uint8Array) => string
  /** The rest at the end of the stream (an unfinished character is bad bytes). */
  end: () => string
  /** Whether any text so far needed the escape (bad bytes or a genuine U+FDD0): records need `unmarkCells`. */
  readonly marked: boolean
  /** Whether any bytes so far were not UTF-8. */
  readonly sawBadBytes: boolean
}

// Validating with `isUtf8` (simdutf) and then decoding with the lenient decoder is faster in Node
// than a fatal TextDecoder, which goes through ICU; `valid` only ever sees validated bytes.
const valid = new TextDecoder('utf-8', { ignoreBOM: true })

/** Where an unfinished multi-byte character starts in the last 3 bytes, or `bytes.length`. */
const unfinishedTail = (bytes: Uint8Array): number => {
  const n = bytes.length
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = bytes[n - k]!
    if ((b & 0xc0) === 0x80) continue
    if (b < 0xc0) return n
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
    return need > k ? n - k : n
  }
  return n
}

/** Decodes bytes holding bad sequences: each maximal bad subpart (WHATWG) becomes one `BAD_RUN`. */
const decodeDamaged = (bytes: Uint8Array, escape: (text: string) => string): string => {
  let out = ''
  let start = 0
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need = 0
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 2
    else if (b >= 0xe0 && b <= 0xef) {
      need = 3
      if (b === 0xe0) lo = 0xa0
      if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 4
      if (b === 0xf0) lo = 0x90
      if (b === 0xf4) hi = 0x8f
    }
    let j = 1
    for (; j < need; j++) {
      const c = bytes[i + j]
      if (c === undefined || c < (j === 1 ? lo : 0x80) || c > (j === 1 ? hi : 0xbf)) break
    }
    if (need > 0 && j === need) {
      i += need
      continue
    }
    out += escape(valid.decode(bytes.subarray(start, i))) + BAD_RUN
    i += j
    start = i
  }
  return out + escape(valid.decode(bytes.subarray(start)))
}

export const utf8Text = (): Utf8Text => {
  let carry: Uint8Array | undefined
  let marked = false
  let sawBadBytes = false
  const escape = (text: string): string => {
    if (!text.includes(ESC)) return text
    marked = true
    return text.replaceAll(ESC, ESC + ESC)
  }
  const decodeWhole = (bytes: Uint8Array): string => {
    if (isUtf8(bytes)) return escape(valid.decode(bytes))
    sawBadBytes = true
    marked = true
    return decodeDamaged(bytes, escape)
  }
  return {
    decode: (chunk) => {
      let bytes = chunk
      if (carry) {
        bytes = new Uint8Array(carry.length + chunk.length)
        bytes.set(carry)
        bytes.set(chunk, carry.length)
        carry = undefined
      }
      const cut = unfinishedTail(bytes)
      if (cut < bytes.length) carry = bytes.slice(cut)
      return decodeWhole(bytes.subarray(0, cut))
    },
    end: () => {
      const rest = carry
      carry = undefined
      return rest ? decodeWhole(rest) : ''
    },
    get marked() {
      return marked
    },
    get sawBadBytes() {
      return sawBadBytes
    },
  }
}

/** A parsed record's cells back from the escaped text: genuine U+FDD0 restored, bad runs → `UNDECODABLE`. */
export const unmarkCells = (cells: string[]): string[] => {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!
    if (cell.includes(ESC)) cells[i] = cell.replace(/\uFDD0([\s\S]?)/g, (_, next: string) => (next === ESC ? ESC : next === '\uFFFD' ? UNDECODABLE : UNDECODABLE + next))
  }
  return cells
}
