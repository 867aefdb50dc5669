import type { Payload } from 'payload'

/** What `/api/health` says about the job queue; filled in by the job runtime when it starts. */
export type QueueHealth = Record<string, unknown>

/** The queue as health sees it: `isUsable` false when the runtime's store does not answer or no worker is alive. */
export type QueueHealthReport = { isUsable: boolean; queue: QueueHealth }

type QueueHealthProvider = () => Promise<QueueHealth>

// Keyed by Payload instance so several instances (tests) never see each other's queues.
const providers = new WeakMap<Payload, QueueHealthProvider>()

export const setQueueHealthProvider = (payload: Payload, provider: QueueHealthProvider | null): void => {
  if (provider) providers.set(payload, provider)
  else providers.delete(payload)
}

/**
 * Asks the registered job runtime for its state. No runtime in this process (API-only servers whose
 * workers run elsewhere) is usable with `status: 'not-started'`; a runtime whose store query fails,
 * or that reports no live worker heartbeat (`workers: 0`, its own included), is not usable.
 */
export const readQueueHealth = async (payload: Payload): Promise<QueueHealthReport> => {
  const provider = providers.get(payload)
  if (!provider) return { isUsable: true, queue: { status: 'not-started' } }
  try {
    const queue = await provider()
    if (queue.workers === 0) return { isUsable: false, queue: { ...queue, error: 'no live job worker', status: 'error' } }
    return { isUsable: true, queue: { status: 'running', ...queue } }
  } catch (err) {
    payload.logger.error({ err, msg: 'Could not read queue health' })
    return { isUsable: false, queue: { error: 'queue state unavailable', status: 'error' } }
  }
}

/** What anyone may see: the status, the error and the counts; never worker, host names or pids. */
export const publicQueueHealth = (queue: QueueHealth): QueueHealth =>
  Object.fromEntries(Object.entries(queue).filter(([key, value]) => typeof value === 'number' || key === 'status' || key === 'error'))
