import type { RowIssue } from './types.js'

/** The counts and issues of a CSV import, as the endpoint answers them. */
export type ImportSummaryInput = {
  created: number
  errors: RowIssue[]
  failed: number
  rows: number
  unchanged: number
  updated: number
  warnings: RowIssue[]
}

/** `[#########-----------]  45% 4,500/10,000 rows  1,234 rows/s` (the total may be unknown). */
export const progressBar = ({ done, rowsPerSecond, total, width = 30 }: { done: number; rowsPerSecond: number; total: null | number; width?: number }): string => {
  const rate = `${Math.round(rowsPerSecond).toLocaleString('en')} rows/s`
  if (!total) return `${done.toLocaleString('en')} rows  ${rate}`
  const fraction = Math.max(0, Math.min(1, done / total))
  const filled = Math.round(fraction * width)
  const percent = `${Math.floor(fraction * 100)}`.padStart(3)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows  ${rate}`
}

const issueLine = (issue: RowIssue) => `  row ${issue.row}${issue.column ? ` (${issue.column})` : ''}: ${issue.message}`

/** The human summary of an import: counts, then the first `shown` errors and warnings. */
export const formatImportSummary = ({ report, seconds, shown = 20 }: { report: ImportSummaryInput; seconds: number; shown?: number }): string => {
  const lines = [
    `${report.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s: ${report.created} created, ${report.updated} updated (${report.unchanged} unchanged), ${report.failed} failed`,
  ]
  for (const [label, issues] of [
    ['errors', report.errors],
    ['warnings', report.warnings],
  ] as const) {
    if (issues.length === 0) continue
    lines.push(`${label} (${issues.length}${issues.length > shown ? `, first ${shown}` : ''}):`, ...issues.slice(0, shown).map(issueLine))
  }
  return `${lines.join('\n')}\n`
}
