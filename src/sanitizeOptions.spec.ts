import { DEFAULT_OPTIONS } from './defaults.js'
import { sanitizeOptions } from './sanitizeOptions.js'

describe('sanitizeOptions', () => {
  it('should fill in every default when no options are given', () => {
    expect(sanitizeOptions()).toEqual(DEFAULT_OPTIONS)
  })

  it('should keep explicit options and trim the title', () => {
    expect(
      sanitizeOptions({ disabled: true, openapi: false, storeCurrency: ' usd ', storeTimezone: ' Asia/Kolkata ', title: '  Acme CRM ' }),
    ).toEqual({
      disabled: true,
      openapi: false,
      storeCurrency: 'USD',
      storeTimezone: 'Asia/Kolkata',
      title: 'Acme CRM',
    })
  })

  it('should fall back to the default title when it is blank', () => {
    expect(sanitizeOptions({ title: '   ' }).title).toBe('Mini CRM')
  })

  it('should refuse an unknown time zone and a malformed currency with a clear message', () => {
    expect(() => sanitizeOptions({ storeTimezone: 'Asia/Atlantis' })).toThrow(/STORE_TIMEZONE.*"Asia\/Atlantis" is not an IANA time zone/)
    expect(() => sanitizeOptions({ storeCurrency: 'rupees' })).toThrow(/STORE_CURRENCY.*three-letter ISO 4217/)
  })
})
