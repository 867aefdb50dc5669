import v8 from 'node:v8'

import { shareLongStrings, unshareLongStrings } from './bulkThreadProtocol.js'

describe('shareLongStrings', () => {
  const json = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ email: `c${i}@example.com`, name: `Customer ${i}` })))
  const statements = [
    { args: [json], sql: 'SELECT 1' },
    { args: [json, '2026-12-01T00:00:00.000Z'], sql: 'SELECT 2' },
    { args: [json, 7, null, 'short'], sql: 'SELECT 3' },
  ]

  it('should copy a long string once however many statements pass it, and give the statements back unchanged', () => {
    const plain = v8.serialize(statements).length
    const shared = v8.serialize(shareLongStrings(statements)).length
    expect(plain).toBeGreaterThan(3 * json.length)
    expect(shared).toBeLessThan(json.length + 1000)
    // Through the structured clone, as the thread receives them.
    expect(unshareLongStrings(v8.deserialize(v8.serialize(shareLongStrings(statements))))).toEqual(statements)
  })

  it('should leave short strings and other values as they are', () => {
    const others = [{ args: ['x', 1, null, Buffer.from('ab'), new Date(0)], sql: 'SELECT ?' }]
    expect(shareLongStrings(others)).toEqual(others)
    expect(unshareLongStrings(others)).toEqual(others)
  })
})
