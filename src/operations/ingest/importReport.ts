import type { RowIssue } from '../../domain/ingest/index.js'

import { CSV_IMPORT_MAX_ISSUES } from '../../constants.js'

/** The answer of a CSV import (CONTRACT: Ingestion). */
export type ImportReport = {
  created: number
  errors: RowIssue[]
  failed: number
  rows: number
  /** Of the `updated` rows, those that changed nothing (their record already held these values). */
  unchanged: number
  updated: number
  warnings: RowIssue[]
}

/** Keeps the `CSV_IMPORT_MAX_ISSUES` issues of the lowest rows, in row order (stable within a row). */
const lowestRows = (issues: RowIssue[]): RowIssue[] => issues.sort((a, b) => a.row - b.row).slice(0, CSV_IMPORT_MAX_ISSUES)

/**
 * Collects counts (from `initial` when a run resumes) and issues; only the first
 * `CSV_IMPORT_MAX_ISSUES` warnings and the errors of the lowest rows are kept. Errors may arrive out
 * of row order (a row the database refuses is known only after later rows were read ahead and cast):
 * `finish()` puts them in row order.
 */
export const createImportReport = (initial?: ImportReport) => {
  const report: ImportReport = initial
    ? { ...initial, errors: [...initial.errors], warnings: [...initial.warnings] }
    : { created: 0, errors: [], failed: 0, rows: 0, unchanged: 0, updated: 0, warnings: [] }
  return {
    error: (issue: RowIssue) => {
      report.errors.push(issue)
      // Bounded: trimming to the lowest rows seen so far never drops one of the lowest rows overall.
      if (report.errors.length >= 2 * CSV_IMPORT_MAX_ISSUES) report.errors = lowestRows(report.errors)
    },
    /** The report with its errors in row order, at most `CSV_IMPORT_MAX_ISSUES` of them. */
    finish: (): ImportReport => {
      report.errors = lowestRows(report.errors)
      return report
    },
    report,
    warning: (issue: RowIssue) => {
      if (report.warnings.length < CSV_IMPORT_MAX_ISSUES) report.warnings.push(issue)
    },
  }
}
