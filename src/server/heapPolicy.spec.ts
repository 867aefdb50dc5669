import { describe, expect, it } from '@jest/globals'

import { DEFAULT_HEAP_GROWING_PERCENT, readHeapGrowingPercent } from './heapPolicy.js'

describe('readHeapGrowingPercent', () => {
  it('should default to 25 when unset or blank', () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(25)
    expect(readHeapGrowingPercent({})).toBe(25)
    expect(readHeapGrowingPercent({ CRM_HEAP_GROWING_PERCENT: '  ' })).toBe(25)
  })

  it('should read a whole percentage, 0 meaning V8 decides', () => {
    expect(readHeapGrowingPercent({ CRM_HEAP_GROWING_PERCENT: '0' })).toBe(0)
    expect(readHeapGrowingPercent({ CRM_HEAP_GROWING_PERCENT: ' 50 ' })).toBe(50)
  })

  it('should refuse anything else, naming the variable and the value', () => {
    for (const value of ['-1', '2.5', 'lots', '1001']) {
      expect(() => readHeapGrowingPercent({ CRM_HEAP_GROWING_PERCENT: value })).toThrow(`CRM_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000 (got "${value}")`)
    }
  })
})
