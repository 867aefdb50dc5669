import type { Payload } from 'payload'

/** What `/api/health` says about the job queue; filled in by the job runtime when it starts. */
export type QueueHealth = Record<string, unknown>

type QueueHealthProvider = () => Promise<QueueHealth>

// Keyed by Payload instance so several instances (tests) never see each other's queues.
const providers = new WeakMap<Payload, QueueHealthProvider>()

export const setQueueHealthProvider = (payload: Payload, provider: QueueHealthProvider | null): void => {
  if (provider) providers.set(payload, provider)
  else providers.delete(payload)
}

export const readQueueHealth = async (payload: Payload): Promise<QueueHealth> => {
  const provider = providers.get(payload)
  if (!provider) return { status: 'not-started' }
  try {
    return { status: 'running', ...(await provider()) }
  } catch (err) {
    payload.logger.error({ err, msg: 'Could not read queue health' })
    return { error: 'queue state unavailable', status: 'error' }
  }
}
