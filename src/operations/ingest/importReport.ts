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

/** Collects counts (from `initial` when a run resumes) and issues; only the first `CSV_IMPORT_MAX_ISSUES` errors and warnings are kept. */
export const createImportReport = (initial?: ImportReport) => {
  const report: ImportReport = initial
    ? { ...initial, errors: [...initial.errors], warnings: [...initial.warnings] }
    : { created: 0, errors: [], failed: 0, rows: 0, unchanged: 0, updated: 0, warnings: [] }
  return {
    error: (issue: RowIssue) => {
      if (report.errors.length < CSV_IMPORT_MAX_ISSUES) report.errors.push(issue)
    },
    report,
    warning: (issue: RowIssue) => {
      if (report.warnings.length < CSV_IMPORT_MAX_ISSUES) report.warnings.push(issue)
    },
  }
}
