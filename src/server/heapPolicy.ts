import v8 from 'node:v8'

/** The default of CRM_HEAP_GROWING_PERCENT (docs/limits.md, "Memory"). */
export const DEFAULT_HEAP_GROWING_PERCENT = 25

/**
 * CRM_HEAP_GROWING_PERCENT: after each full garbage collection V8 lets the JavaScript heap grow to
 * (1 + percent/100) × what survived before collecting again. Unset: 25. `0`: V8's own heuristic,
 * which lets a server that streams millions of rows hold up to about four times its live heap in
 * garbage (measured: docs/limits.md). Not a limit: the heap still grows as far as live data needs.
 */
export const readHeapGrowingPercent = (env: Record<string, string | undefined> = process.env): number => {
  const raw = env.CRM_HEAP_GROWING_PERCENT?.trim()
  if (!raw) return DEFAULT_HEAP_GROWING_PERCENT
  const percent = Number(raw)
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000) {
    throw new Error(`CRM_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000 (got "${env.CRM_HEAP_GROWING_PERCENT}")`)
  }
  return percent
}

/**
 * Applies CRM_HEAP_GROWING_PERCENT to this process's V8 (read on every heap limit V8 computes, so
 * it takes effect at the next collection). For our own server processes (`createCrmServer`, the
 * vendor simulator), never for a host application's process through the plugin.
 */
export const applyHeapPolicy = (percent: number = readHeapGrowingPercent()): void => {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`)
}
