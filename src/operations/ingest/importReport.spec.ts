import { describe, expect, it } from '@jest/globals'

import { CSV_IMPORT_MAX_ISSUES } from '../../constants.js'
import { createImportReport } from './importReport.js'

describe('createImportReport', () => {
  it('should put errors that arrive out of row order back in row order, keeping the order within a row', () => {
    const { error, finish } = createImportReport()
    error({ message: 'cast a', row: 7 })
    error({ message: 'cast b', row: 7 })
    error({ message: 'refused by the database', row: 3 })
    error({ message: 'cast', row: 9 })
    expect(finish().errors).toEqual([
      { message: 'refused by the database', row: 3 },
      { message: 'cast a', row: 7 },
      { message: 'cast b', row: 7 },
      { message: 'cast', row: 9 },
    ])
  })

  it('should keep the errors of the lowest rows when there are more than the cap, whatever order they came in', () => {
    const { error, finish, report } = createImportReport()
    const total = 5 * CSV_IMPORT_MAX_ISSUES + 17
    // Rows in a scrambled order: each batch's late errors come after the next batch's early ones.
    const rows = Array.from({ length: total }, (_, i) => i + 1)
    for (let i = 0; i < rows.length; i += 10) rows.splice(i, 10, ...rows.slice(i, i + 10).reverse())
    for (const row of [...rows].reverse()) {
      error({ message: `bad ${row}`, row })
      expect(report.errors.length).toBeLessThan(2 * CSV_IMPORT_MAX_ISSUES)
    }
    const kept = finish().errors
    expect(kept).toHaveLength(CSV_IMPORT_MAX_ISSUES)
    expect(kept.map((issue) => issue.row)).toEqual(Array.from({ length: CSV_IMPORT_MAX_ISSUES }, (_, i) => i + 1))
  })

  it('should carry a resumed run\'s counts and issues on', () => {
    const { error, finish } = createImportReport({ created: 2, errors: [{ message: 'old', row: 1 }], failed: 1, rows: 3, unchanged: 0, updated: 0, warnings: [] })
    error({ message: 'new', row: 5 })
    expect(finish()).toMatchObject({ created: 2, errors: [{ message: 'old', row: 1 }, { message: 'new', row: 5 }], failed: 1, rows: 3 })
  })
})
