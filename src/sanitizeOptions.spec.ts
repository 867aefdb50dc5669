import { DEFAULT_OPTIONS } from './defaults.js'
import { sanitizeOptions } from './sanitizeOptions.js'

describe('sanitizeOptions', () => {
  it('should fill in every default when no options are given', () => {
    expect(sanitizeOptions()).toEqual(DEFAULT_OPTIONS)
  })

  it('should keep explicit options and trim the title', () => {
    expect(
      sanitizeOptions({ authCollection: ' staff ', disabled: true, jobsDashboard: true, openapi: false, title: '  Acme CRM ' }),
    ).toEqual({
      authCollection: 'staff',
      disabled: true,
      jobsDashboard: true,
      openapi: false,
      title: 'Acme CRM',
    })
  })

  it('should fall back to the default title when it is blank', () => {
    expect(sanitizeOptions({ title: '   ' }).title).toBe('Mini CRM')
  })
})
