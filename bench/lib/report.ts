import { readFileSync } from 'node:fs'

/**
 * Benchmark output per shared/docs/BENCHMARKS.md: one JSON object per line on stdout for results,
 * human-readable progress on stderr.
 */
export type BenchDb = 'none' | 'postgres' | 'sqlite'

export type BenchResult = {
  bench: string
  case: string
  db: BenchDb
  metric: string
  unit: string
  value: number
}

const round = (value: number): number => (Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 1000) / 1000)

export const report = (result: BenchResult): void => {
  process.stdout.write(JSON.stringify({ ...result, value: round(result.value) }) + '\n')
}

export const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`)
}

/** Tracks peak resident set size while a benchmark case runs. */
export const trackPeakRss = (): { stop: () => number } => {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024)
    },
  }
}

/** The resident set size of process `pid` in MB (Linux `/proc`; 0 once the process is gone). */
export const rssMbOf = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** Samples a process's RSS every 50 ms until stopped; returns the peak in MB. */
export const trackPeakRssOf = (pid: number): { stop: () => number } => {
  let peak = rssMbOf(pid)
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMbOf(pid))
  }, 50)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      return Math.round(Math.max(peak, rssMbOf(pid)))
    },
  }
}

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] as number
}
