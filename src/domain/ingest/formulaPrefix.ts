// Spreadsheet apps run a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^'*[=+\-@]/
const PROTECTED = /^'+[=+\-@]/

/**
 * Export side: prefixes `'` to a cell a spreadsheet would run as a formula (`=SUM(…)`, `+91…`).
 * A cell that already starts with quotes before such a character gets one more, so
 * `stripFormulaPrefix` always gives back the original.
 */
export const protectFormula = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell)

/** Import side: removes the one `'` that `protectFormula` added. */
export const stripFormulaPrefix = (cell: string): string => (PROTECTED.test(cell) ? cell.slice(1) : cell)
