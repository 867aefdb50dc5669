import { castCustomerRow, castOrderRow, cellProblem, CUSTOMER_EXPORT_COLUMNS, mapHeaders, normaliseHeader, ORDER_EXPORT_COLUMNS, protectFormula, stripFormulaPrefix, toCamelCase, toExportCell, toExportRow } from './index.js'

const customerMapping = (headers: string[]) => {
  const result = mapHeaders({ headers, kind: 'customers' })
  if (!result.ok) throw new Error(result.message)
  return result.mapping
}

const orderMapping = (headers: string[]) => {
  const result = mapHeaders({ headers, kind: 'orders' })
  if (!result.ok) throw new Error(result.message)
  return result.mapping
}

describe('header mapping', () => {
  it('should ignore case, spaces, hyphens and underscores', () => {
    expect(normaliseHeader(' E-Mail_Address ')).toBe('emailaddress')
  })

  it('should map the contract synonyms to customer fields', () => {
    const mapping = customerMapping(['E-mail', 'Full Name', 'Mobile', 'Town', 'Labels', 'Visit_Count', 'Lifetime Value', 'Unsubscribed', 'Joined'])
    expect(mapping.columns.map((column) => column.target)).toEqual(
      ['email', 'name', 'phone', 'city', 'tags', 'visits', 'baseSpend', 'marketingOptOut', 'createdAt'].map((field) => ({ field, kind: 'field' })),
    )
  })

  it('should keep unknown customer columns as camelCase attribute keys and skip derived ones', () => {
    const mapping = customerMapping(['email', 'Loyalty Tier', 'order count', 'preferred_store'])
    expect(mapping.columns.map((column) => column.target)).toEqual([
      { field: 'email', kind: 'field' },
      { key: 'loyaltyTier', kind: 'attribute' },
      { kind: 'skip' },
      { key: 'preferredStore', kind: 'attribute' },
    ])
  })

  it('should map order headers, where email means the customer email and id the order id', () => {
    const mapping = orderMapping(['ID', 'Email', 'Total', 'Date', 'Currency', 'Status'])
    expect([...mapping.fields]).toEqual(['externalId', 'customerEmail', 'amount', 'orderedAt', 'currency', 'status'])
  })

  it('should refuse a customers file without an email column and an orders file without an id column', () => {
    expect(mapHeaders({ headers: ['name', 'phone'], kind: 'customers' })).toMatchObject({ message: expect.stringMatching(/no email column/), ok: false })
    expect(mapHeaders({ headers: ['email', 'amount'], kind: 'orders' })).toMatchObject({ message: expect.stringMatching(/no order id column/), ok: false })
  })

  it('should keep the first column of a field named twice and send the second to attributes', () => {
    const mapping = customerMapping(['email', 'name', 'Full Name'])
    expect(mapping.columns[2]!.target).toEqual({ key: 'fullName', kind: 'attribute' })
  })

  it('should camel-case headers with punctuation and unicode', () => {
    expect(toCamelCase('Favourite Café (2025)')).toBe('favouriteCafé2025')
  })
})

describe('customer rows', () => {
  const mapping = customerMapping(['email', 'name', 'visits', 'spend', 'opt out', 'tags', 'signup date', 'Loyalty Tier'])
  const cast = (cells: string[]) => castCustomerRow({ cells, mapping, row: 7, timeZone: 'UTC' })

  it('should cast every field and lower-case the email', () => {
    expect(cast([' Asha@Example.IN ', 'Asha Rao', '12', '1500.50', 'Yes', 'vip; new |', '2025-03-01', 'gold'])).toEqual({
      ok: true,
      row: {
        attributes: { loyaltyTier: 'gold' },
        baseSpend: 1500.5,
        createdAt: '2025-03-01',
        email: 'asha@example.in',
        marketingOptOut: true,
        name: 'Asha Rao',
        tags: ['vip', 'new'],
        visits: 12,
      },
    })
  })

  it('should leave out empty and missing cells so stored values stay', () => {
    expect(cast(['a@b.co', '', ''])).toEqual({ ok: true, row: { email: 'a@b.co' } })
  })

  it('should report every bad cell with row and column', () => {
    const result = cast(['nope', 'x', '-1', '1,200', 'maybe', '', '01/03/2025', ''])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((error) => [error.row, error.column])).toEqual([
      [7, 'email'],
      [7, 'visits'],
      [7, 'spend'],
      [7, 'opt out'],
      [7, 'signup date'],
    ])
  })

  it('should refuse fractional visits and require the email', () => {
    const result = cast(['', 'x', '1.5'])
    expect(result.ok ? [] : result.errors.map((error) => error.column)).toEqual(['visits', 'email'])
  })

  it('should strip the formula prefix our export adds', () => {
    expect(cast(["a@b.co", "'=SUM(A1)"])).toEqual({ ok: true, row: { email: 'a@b.co', name: '=SUM(A1)' } })
  })

  it('should make a cell over 64 KiB a row error', () => {
    const result = cast(['a@b.co', 'x'.repeat(64 * 1024 + 1)])
    expect(result).toMatchObject({ errors: [{ column: 'name', message: expect.stringMatching(/64 KiB/) }], ok: false })
    expect(cast(['a@b.co', 'é'.repeat(32 * 1024)]).ok).toBe(true)
    expect(cast(['a@b.co', 'é'.repeat(32 * 1024 + 1)]).ok).toBe(false)
  })

  it('should merge an attributes JSON column with extra columns, and keep other text as a plain column', () => {
    const withJson = customerMapping(['email', 'attributes', 'tier'])
    expect(castCustomerRow({ cells: ['a@b.co', '{"x":1,"tier":"old"}', 'gold'], mapping: withJson, row: 1, timeZone: 'UTC' })).toEqual({
      ok: true,
      row: { attributes: { tier: 'gold', x: 1 }, email: 'a@b.co' },
    })
    // Any other text is an ordinary extra column called "attributes".
    expect(castCustomerRow({ cells: ['a@b.co', 'plain text'], mapping: withJson, row: 1, timeZone: 'UTC' })).toEqual({
      ok: true,
      row: { attributes: { attributes: 'plain text' }, email: 'a@b.co' },
    })
  })
})

describe('order rows', () => {
  const mapping = orderMapping(['order id', 'customer email', 'amount', 'ordered at', 'currency', 'status'])
  const cast = (cells: string[]) => castOrderRow({ cells, mapping, row: 3, storeCurrency: 'INR', timeZone: 'UTC' })

  it('should cast a full order', () => {
    expect(cast(['o-1', 'A@B.co', '99.5', '2025-03-01T10:00:00+05:30', 'inr', 'Paid'])).toEqual({
      ok: true,
      row: { amount: 99.5, currency: 'INR', customerEmail: 'a@b.co', externalId: 'o-1', orderedAt: '2025-03-01T10:00:00+05:30', status: 'paid' },
    })
  })

  it('should require id, customer email, amount and date', () => {
    const result = cast(['', '', '', ''])
    expect(result.ok ? [] : result.errors.map((error) => error.column)).toEqual(['order id', 'customer email', 'amount', 'ordered at'])
  })

  it('should refuse another currency and an unknown status', () => {
    const result = cast(['o-1', 'a@b.co', '1', '2025-03-01', 'USD', 'lost'])
    expect(result.ok ? [] : result.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/store currency INR/),
      expect.stringMatching(/Status must be one of/),
    ])
  })
})

describe('cell problems and the formula prefix', () => {
  it('should flag NUL and replacement characters', () => {
    expect(cellProblem('a\u0000b')).toMatch(/NUL/)
    expect(cellProblem('a\uD800b')).toMatch(/UTF-8/)
    expect(cellProblem('a\uFFFDb')).toBeNull()
    expect(cellProblem('fine')).toBeNull()
  })

  it.each(['=SUM(A1)', '+919876543210', '-5', '@cmd', "'=x", "''+y", 'plain', "'quoted", ''])('should round-trip %p', (cell) => {
    expect(stripFormulaPrefix(protectFormula(cell))).toBe(cell)
  })

  it('should prefix cells a spreadsheet would run', () => {
    expect(protectFormula('=1+1')).toBe("'=1+1")
    expect(protectFormula('+91 98')).toBe("'+91 98")
    expect(protectFormula('Asha')).toBe('Asha')
  })
})

describe('export rows', () => {
  const stored = {
    attributes: { tier: 'gold' },
    baseSpend: 12.5,
    city: null,
    createdAt: '2025-01-02T00:00:00.000Z',
    email: 'a@b.co',
    id: 7,
    lastOrderAt: null,
    marketingOptOut: false,
    name: '=SUM(A1)',
    orderCount: 2,
    phone: '+919876543210',
    tags: ['vip', 'new'],
    totalSpend: 99.5,
    updatedAt: '2025-01-03T00:00:00.000Z',
    visits: 3,
  }

  it('should write importer headers first and skipped derived headers after', () => {
    const headers = CUSTOMER_EXPORT_COLUMNS.map((column) => column.header)
    const mapping = customerMapping(headers)
    const kinds = mapping.columns.map((column) => column.target.kind)
    expect(kinds.slice(0, 11)).toEqual([...Array(10).fill('field'), 'attributes'])
    expect(kinds.slice(11)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip'])
  })

  it('should cast an exported row back to the stored values', () => {
    const cells = toExportRow(CUSTOMER_EXPORT_COLUMNS, stored)
    expect(cells.slice(0, 3)).toEqual(['a@b.co', "'=SUM(A1)", "'+919876543210"])
    const mapping = customerMapping(CUSTOMER_EXPORT_COLUMNS.map((column) => column.header))
    expect(castCustomerRow({ cells, mapping, row: 1, timeZone: 'UTC' })).toEqual({
      ok: true,
      row: {
        attributes: { tier: 'gold' },
        baseSpend: 12.5,
        createdAt: '2025-01-02T00:00:00.000Z',
        email: 'a@b.co',
        marketingOptOut: false,
        name: '=SUM(A1)',
        phone: '+919876543210',
        tags: ['vip', 'new'],
        visits: 3,
      },
    })
  })

  it('should map every order export header to its field', () => {
    expect([...orderMapping(ORDER_EXPORT_COLUMNS.map((column) => column.header)).fields]).toEqual([
      'externalId',
      'customerEmail',
      'amount',
      'currency',
      'orderedAt',
      'status',
    ])
  })

  it('should write empty cells for missing values', () => {
    expect(toExportCell(null)).toBe('')
    expect(toExportCell(undefined)).toBe('')
    expect(toExportCell(0)).toBe('0')
    expect(toExportCell(false)).toBe('false')
  })
})
