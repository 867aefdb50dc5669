import { describe, expect, it } from '@jest/globals'

import { formatImportSummary, progressBar } from './importSummary.js'

describe('progressBar', () => {
  it('should fill in proportion to the rows done and show the rate', () => {
    expect(progressBar({ done: 5, rowsPerSecond: 1234.4, total: 10, width: 10 })).toBe('[#####-----]  50% 5/10 rows  1,234 rows/s')
    expect(progressBar({ done: 12, rowsPerSecond: 1, total: 10, width: 4 })).toBe('[####] 100% 12/10 rows  1 rows/s')
  })

  it('should show only the count when the total is unknown', () => {
    expect(progressBar({ done: 2500, rowsPerSecond: 99.6, total: null })).toBe('2,500 rows  100 rows/s')
  })
})

describe('formatImportSummary', () => {
  it('should list the counts, then the first errors and warnings', () => {
    const text = formatImportSummary({
      report: {
        created: 1,
        errors: [
          { column: 'email', message: 'bad', row: 2 },
          { message: 'cut', row: 3 },
        ],
        failed: 2,
        rows: 4,
        unchanged: 0,
        updated: 1,
        warnings: [],
      },
      seconds: 1.25,
      shown: 1,
    })
    expect(text).toBe('4 rows in 1.3 s: 1 created, 1 updated (0 unchanged), 2 failed\nerrors (2, first 1):\n  row 2 (email): bad\n')
  })
})
