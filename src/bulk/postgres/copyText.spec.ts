import { encodeCopyLine, encodeCopyValue, pgTextArrayLiteral } from './copyText.js'

describe('COPY text encoding', () => {
  it('should escape backslashes, tabs and newlines and write NULL as \\N', () => {
    expect(encodeCopyValue('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re')
    expect(encodeCopyValue(null)).toBe('\\N')
    expect(encodeCopyValue(undefined)).toBe('\\N')
    expect(encodeCopyValue(true)).toBe('t')
    expect(encodeCopyValue(12.5)).toBe('12.5')
  })

  it('should write text arrays and JSON objects so COPY reads them back unchanged', () => {
    expect(pgTextArrayLiteral(['vip', 'say "hi"', 'back\\slash'])).toBe('{"vip","say \\"hi\\"","back\\\\slash"}')
    expect(encodeCopyValue(['a"b'])).toBe('{"a\\\\"b"}')
    expect(encodeCopyValue({ note: 'line1\nline2' })).toBe('{"note":"line1\\\\nline2"}')
    expect(pgTextArrayLiteral([])).toBe('{}')
  })

  it('should join a line with tabs and end it with a newline', () => {
    expect(encodeCopyLine(['a', null, 3])).toBe('a\t\\N\t3\n')
  })

  it('should refuse non-finite numbers', () => {
    expect(() => encodeCopyValue(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})
