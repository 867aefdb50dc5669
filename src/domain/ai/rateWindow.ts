/** A fixed-size sliding window of request times per key (user), kept in memory. */
export type RateWindow = {
  /** Records a request at `now` when allowed; otherwise says how many seconds until one is. */
  take: (key: string, now?: number) => { ok: true } | { ok: false; retryAfterSeconds: number }
}

/** At most `limit` requests per key in any `windowMs`; old entries are dropped as they age out. */
export const createRateWindow = ({ limit, windowMs }: { limit: number; windowMs: number }): RateWindow => {
  const hits = new Map<string, number[]>()
  return {
    take: (key, now = Date.now()) => {
      const recent = (hits.get(key) ?? []).filter((at) => now - at < windowMs)
      if (recent.length >= limit) {
        hits.set(key, recent)
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000)) }
      }
      recent.push(now)
      hits.set(key, recent)
      // Keys of users who stopped calling go with their last entry.
      if (hits.size > 10_000) for (const [k, times] of hits) if (times.every((at) => now - at >= windowMs)) hits.delete(k)
      return { ok: true }
    },
  }
}
