import { DEFAULT_OPTIONS } from './defaults.js'
import { sanitizeOptions } from './sanitizeOptions.js'

describe('sanitizeOptions', () => {
  it('should fill in every default when no options are given', () => {
    expect(sanitizeOptions()).toEqual(DEFAULT_OPTIONS)
  })

  it('should keep explicit options and trim the title', () => {
    expect(
      sanitizeOptions({
        authCollection: ' staff ',
        disabled: true,
        jobsDashboard: true,
        openapi: false,
        storeCurrency: ' usd ',
        storeTimezone: ' Asia/Kolkata ',
        title: '  Acme CRM ',
      }),
    ).toEqual({
      ai: DEFAULT_OPTIONS.ai,
      authCollection: 'staff',
      disabled: true,
      google: null,
      jobsDashboard: true,
      limits: DEFAULT_OPTIONS.limits,
      openapi: false,
      storeCurrency: 'USD',
      storeTimezone: 'Asia/Kolkata',
      title: 'Acme CRM',
    })
  })

  it('should keep explicit limits and fill in the others', () => {
    const { limits } = sanitizeOptions({ limits: { bodyBytes: { upload: 1024 }, maxPageSize: 50 } })
    expect(limits).toEqual({
      bodyBytes: { ...DEFAULT_OPTIONS.limits.bodyBytes, upload: 1024 },
      graphQLMaxCost: DEFAULT_OPTIONS.limits.graphQLMaxCost,
      maxPageSize: 50,
    })
  })

  it('should refuse a limit that is not a positive whole number, naming it', () => {
    expect(() => sanitizeOptions({ limits: { maxPageSize: 0 } })).toThrow(/limits\.maxPageSize/)
    expect(() => sanitizeOptions({ limits: { bodyBytes: { json: 1.5 } } })).toThrow(/limits\.bodyBytes\.json/)
  })

  it('should fall back to the default title when it is blank', () => {
    expect(sanitizeOptions({ title: '   ' }).title).toBe('Mini CRM')
  })

  it('should refuse an unknown time zone and a malformed currency with a clear message', () => {
    expect(() => sanitizeOptions({ storeTimezone: 'Asia/Atlantis' })).toThrow(/STORE_TIMEZONE.*"Asia\/Atlantis" is not an IANA time zone/)
    expect(() => sanitizeOptions({ storeCurrency: 'rupees' })).toThrow(/STORE_CURRENCY.*three-letter ISO 4217/)
  })

  it('should keep Google sign-in settings without the client secret (the options live in the config)', () => {
    const sanitized = sanitizeOptions({ google: { clientId: 'id', clientSecret: 'very-secret' } })
    expect(sanitized.google).toEqual({ allowedDomains: [], allowedEmails: [], clientId: 'id', issuer: 'https://accounts.google.com', role: 'viewer' })
    expect(JSON.stringify(sanitized)).not.toContain('very-secret')
  })

  it('should fill in the AI defaults and refuse bad AI settings, naming them', () => {
    expect(sanitizeOptions({ ai: { apiKey: ' k ', baseUrl: 'http://127.0.0.1:9/', model: ' ' } }).ai).toEqual({ ...DEFAULT_OPTIONS.ai, apiKey: 'k', baseUrl: 'http://127.0.0.1:9' })
    expect(sanitizeOptions({ ai: { apiKey: '  ' } }).ai.apiKey).toBeUndefined()
    expect(() => sanitizeOptions({ ai: { timeoutMs: 0 } })).toThrow(/ai\.timeoutMs/)
    expect(() => sanitizeOptions({ ai: { baseUrl: 'ftp://x' } })).toThrow(/GEMINI_BASE_URL/)
  })
})
