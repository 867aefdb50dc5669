import type { CrmServer } from './createServer.js'

import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './createServer.js'

/**
 * SIGTERM/SIGINT → `crm.close()` (stop accepting, finish in-flight requests, stop jobs, close Next,
 * Payload and the pools), then exit 0; exit 1 if a step threw or the whole stop outlived its bound.
 * A second signal while stopping is ignored: the bound already guarantees an exit.
 */
export const handleShutdownSignals = ({ crm, timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS }: { crm: CrmServer; timeoutMs?: number }): void => {
  let stopping = false
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    // Requests, then jobs, each get `timeoutMs`; the rest (Next, Payload, pools) is quick.
    const force = setTimeout(() => {
      process.stderr.write('Shutdown took too long: exiting anyway\n')
      process.exit(1)
    }, timeoutMs * 2 + 10_000)
    force.unref()
    // close() stops the listener synchronously, so whoever reads this line finds the port closed.
    const closing = crm.close({ timeoutMs })
    crm.payload.logger.info(`${signal} received: shutting down (no new connections; waiting for requests in flight)`)
    closing
      .then(({ timedOut }) => {
        if (timedOut) crm.payload.logger.warn(`Some requests were still running after ${timeoutMs} ms and were cut`)
        process.stdout.write('Shutdown complete\n')
        // Agenda leaves a watchdog timer per finished job (lock lifetime / 2): exit explicitly.
        process.exit(0)
      })
      .catch((err: unknown) => {
        process.stderr.write(`Shutdown failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
        process.exit(1)
      })
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
