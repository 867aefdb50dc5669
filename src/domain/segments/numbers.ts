/** A number written in text that `attributes.<key>` compares numerically: `-12`, `3.5` (no exponent, no separators). */
export const NUMERIC_TEXT_RE = /^-?[0-9]+(\.[0-9]+)?$/

/** The number a rule value or stored attribute stands for, or null when it is not numeric. */
export const numericValueOf = (value: unknown): null | number => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && NUMERIC_TEXT_RE.test(value)) return Number(value)
  return null
}
