/** Pure CSV ingestion logic: header mapping, cell casting and row validation, the formula prefix. */
export { castCustomerRow, castOrderRow } from './castRow.js'
export { cellProblem, MAX_CELL_BYTES } from './cells.js'
export { protectFormula, stripFormulaPrefix } from './formulaPrefix.js'
export { normaliseHeader, toCamelCase } from './headers.js'
export { mapHeaders } from './mapHeaders.js'
export type { MapHeadersResult } from './mapHeaders.js'
export type * from './types.js'
