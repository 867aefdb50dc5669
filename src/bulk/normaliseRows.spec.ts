import { BulkRowError, chunk, normaliseCustomer, normaliseCustomerBatch, normaliseCustomerRows, normaliseOrder, normaliseOrderBatch, normaliseOrderRows, prepareRow, toIsoTimestamp } from './normaliseRows.js'

describe('normaliseCustomerRows', () => {
  it('should lower-case emails and keep only the fields a row gives', () => {
    const [row] = normaliseCustomerRows([{ city: undefined, email: ' Asha@Example.COM ', name: 'Asha', phone: null }])
    expect(row).toEqual({ email: 'asha@example.com', name: 'Asha', phone: null })
    expect(JSON.stringify(row)).not.toContain('city')
  })

  it('should merge later duplicates field by field', () => {
    const rows = normaliseCustomerRows([
      { email: 'a@x.in', name: 'First', visits: 1 },
      { email: 'b@x.in' },
      { city: 'Pune', email: 'A@x.in', visits: 2 },
    ])
    expect(rows).toEqual([{ city: 'Pune', email: 'a@x.in', name: 'First', visits: 2 }, { email: 'b@x.in' }])
  })

  it('should compose two attribute patches for one email into one shallow patch', () => {
    const [row] = normaliseCustomerRows([
      { attributes: { prefs: { sms: true }, tier: 'gold' }, email: 'a@x.in' },
      { attributes: { prefs: { email: false }, store: null }, email: 'a@x.in' },
    ])
    expect(row?.attributes).toEqual({ prefs: { email: false }, store: null, tier: 'gold' })
    expect(normaliseCustomerRows([{ attributes: { tier: 'gold' }, email: 'a@x.in' }, { attributes: null, email: 'a@x.in' }])[0]?.attributes).toBeNull()
  })

  it('should turn dates into ISO timestamps and trim tags', () => {
    const [row] = normaliseCustomerRows([
      { createdAt: '2025-03-01', email: 'a@x.in', lastVisitAt: '2025-03-01T10:00:00+05:30', tags: [' vip ', '', 'new'] },
    ])
    expect(row).toMatchObject({ createdAt: '2025-03-01T00:00:00.000Z', lastVisitAt: '2025-03-01T04:30:00.000Z', tags: ['vip', 'new'] })
    expect(normaliseCustomerRows([{ email: 'a@x.in', tags: null }])[0]?.tags).toEqual([])
  })

  it.each([
    [{ email: 'not-an-email' }, /email/],
    [{ email: 'a@x.in', visits: 1.5 }, /visits/],
    [{ baseSpend: -1, email: 'a@x.in' }, /baseSpend/],
    [{ createdAt: '01/03/2025', email: 'a@x.in' }, /createdAt/],
  ])('should reject the invalid row %j', (row, message) => {
    expect(() => normaliseCustomerRows([row])).toThrow(BulkRowError)
    expect(() => normaliseCustomerRows([row])).toThrow(message)
  })
})

describe('normaliseOrderRows', () => {
  it('should normalise currency, dates and the customer reference', () => {
    const [row] = normaliseOrderRows([{ amount: 10, currency: 'inr', customerEmail: 'A@X.in', externalId: ' O-1 ', orderedAt: '2025-01-02' }])
    expect(row).toEqual({ amount: 10, currency: 'INR', customerEmail: 'a@x.in', externalId: 'O-1', orderedAt: '2025-01-02T00:00:00.000Z' })
  })

  it('should let a later duplicate switch from email to id', () => {
    const rows = normaliseOrderRows([
      { amount: 1, customerEmail: 'a@x.in', externalId: 'O', orderedAt: '2025-01-01' },
      { amount: 2, customerId: 7, externalId: 'O', orderedAt: '2025-01-01' },
    ])
    expect(rows).toEqual([{ amount: 2, customerId: 7, externalId: 'O', orderedAt: '2025-01-01T00:00:00.000Z' }])
  })

  it('should reject orders without a customer, amount or known status', () => {
    expect(() => normaliseOrderRows([{ amount: 1, externalId: 'O', orderedAt: '2025-01-01' }])).toThrow(/customer/)
    expect(() => normaliseOrderRows([{ amount: Number.NaN, customerId: 1, externalId: 'O', orderedAt: '2025-01-01' }])).toThrow(/amount/)
    expect(() =>
      normaliseOrderRows([{ amount: 1, customerId: 1, externalId: 'O', orderedAt: '2025-01-01', status: 'lost' as never }]),
    ).toThrow(/status/)
  })
})

describe('chunk and toIsoTimestamp', () => {
  it('should split into slices of at most the given size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 3)).toEqual([])
    expect(() => chunk([1], 0)).toThrow(RangeError)
  })

  it('should accept Date objects', () => {
    expect(toIsoTimestamp(new Date(Date.UTC(2025, 0, 1)), 0, 'd')).toBe('2025-01-01T00:00:00.000Z')
  })
})

describe('dates without an offset', () => {
  it('should be read in the store time zone, not the server zone', () => {
    const [order] = normaliseOrderRows([{ amount: 1, customerId: 1, externalId: 'O', orderedAt: '2025-03-01T10:00:00' }], 'Asia/Kolkata')
    expect(order?.orderedAt).toBe('2025-03-01T04:30:00.000Z')
    const [customer] = normaliseCustomerRows([{ createdAt: '2025-03-01', email: 'a@x.in', lastVisitAt: '2025-03-01T10:00:00+00:00' }], 'Asia/Kolkata')
    expect(customer).toMatchObject({ createdAt: '2025-02-28T18:30:00.000Z', lastVisitAt: '2025-03-01T10:00:00.000Z' })
    expect(toIsoTimestamp('2025-03-01', 0, 'orderedAt')).toBe('2025-03-01T00:00:00.000Z')
  })
})

describe('rows normalised ahead of their batch', () => {
  it('should give the batch that normalising them with the batch gives, bad rows included', () => {
    const rows = [
      { email: 'A@x.in', lastVisitAt: '2025-03-01T10:00:00', tags: [' vip '] },
      { email: 'not an email' },
      { city: 'Pune', email: 'a@X.in', visits: 2 },
      { email: 'b@x.in', visits: -1 },
    ]
    const prepared = rows.map((row, index) => prepareRow(normaliseCustomer, row, index, 'Asia/Kolkata'))
    expect(prepared[1]).toBeInstanceOf(BulkRowError)
    expect(normaliseCustomerBatch(rows, 'Asia/Kolkata', true, prepared)).toEqual(normaliseCustomerBatch(rows, 'Asia/Kolkata', true))
    expect(normaliseCustomerBatch(rows, 'Asia/Kolkata', true, prepared).failed.map((failure) => failure.index)).toEqual([1, 3])
    expect(() => normaliseCustomerBatch(rows, 'UTC', false, prepared)).toThrow(BulkRowError)

    const orders = [{ amount: 5, customerEmail: 'a@x.in', externalId: 'O-1', orderedAt: '2025-03-01' }, { amount: 5, externalId: 'O-2', orderedAt: '2025-03-01' }]
    const preparedOrders = orders.map((row, index) => prepareRow(normaliseOrder, row, index, 'UTC'))
    expect(normaliseOrderBatch(orders, 'UTC', true, preparedOrders)).toEqual(normaliseOrderBatch(orders, 'UTC', true))
  })

  it('should let errors other than a bad row through', () => {
    const boom = () => {
      throw new TypeError('bug')
    }
    expect(() => prepareRow(boom, {}, 0, 'UTC')).toThrow(TypeError)
  })
})
