import { parseRetryAfter } from './geminiAiService.js'

describe('parseRetryAfter', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['7', 7],
    [' 1.5 ', 1.5],
    ['soon', undefined],
  ])('should read %j as %j seconds', (header, seconds) => {
    expect(parseRetryAfter(header)).toBe(seconds)
  })

  it('should read an HTTP date relative to now, never negative', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
  })
})
