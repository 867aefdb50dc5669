import type { ChildProcess } from 'node:child_process'

import { createServer } from 'node:net'

/** The browser the e2e tests drive (Debian's chromium unless CHROMIUM_PATH says otherwise). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** A TCP port free on loopback right now, for a server the test starts. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })

/** Polls `<url>/api/health` until it answers 200 (its body), the server process exits, or time runs out. */
export const waitForHealth = async (url: string, child: ChildProcess, timeoutMs: number): Promise<{ db: string; ok: boolean }> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server (npm start) exited early with ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.status === 200) return (await res.json()) as { db: string; ok: boolean }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error('server did not become healthy in time')
}
