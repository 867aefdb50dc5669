/** A small, fast, seedable PRNG (mulberry32): the same seed always gives the same sequence. */
export type Random = {
  /** Uniform in [0, 1). */
  next: () => number
  /** Uniform integer in [min, max]. */
  int: (min: number, max: number) => number
  pick: <T>(items: readonly T[]) => T
  chance: (probability: number) => boolean
}

export const createRandom = (seed: number): Random => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    chance: (probability) => next() < probability,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    next,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  }
}

/** A stateless hash of (seed, n) to [0, 1): lets two generators agree on a per-customer value. */
export const hashUnit = (seed: number, n: number): number => {
  let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d)
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296
}

/** Picks from `[value, weight]` pairs; build once with `weightedPicker`, call per draw. */
export const weightedPicker = <T>(entries: readonly (readonly [T, number])[]): ((unit: number) => T) => {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
  const cumulative: number[] = []
  let running = 0
  for (const [, weight] of entries) cumulative.push((running += weight / total))
  return (unit) => {
    for (let i = 0; i < cumulative.length; i++) if (unit < (cumulative[i] as number)) return (entries[i] as readonly [T, number])[0]
    return (entries[entries.length - 1] as readonly [T, number])[0]
  }
}
