const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const

/** True when `hostname` (as `URL#hostname` spells it) names this machine's loopback interface. */
export const isLoopbackHost = (hostname: string): boolean => (LOOPBACK_HOSTS as readonly string[]).includes(hostname.toLowerCase())

/**
 * The origins a browser may use for `publicUrl`: the URL's own origin and, when its host is a loopback
 * name, the other loopback names on the same scheme and port (`localhost`, `127.0.0.1`, `[::1]`). An
 * admin who opens `http://127.0.0.1:3000` while `PUBLIC_URL` says `http://localhost:3000` is on the
 * same server; Payload's cookie check and the jobs dashboard treat the three alike.
 */
export const loopbackOrigins = (publicUrl: string): string[] => {
  const url = new URL(publicUrl)
  if (!isLoopbackHost(url.hostname)) return [url.origin]
  const origins = LOOPBACK_HOSTS.map((host) => {
    const alias = new URL(url.origin)
    alias.hostname = host
    return alias.origin
  })
  return [url.origin, ...origins.filter((origin) => origin !== url.origin)]
}
