import type {
  JobNotification,
  JobStateNotification,
  NotificationChannel,
  NotificationChannelState,
  NotificationHandler,
  StateNotificationHandler,
} from 'agenda'

import { toJobId } from 'agenda'

export type RefillChannel = NotificationChannel & {
  /**
   * Asks this process's job processor to claim more jobs of `jobName` now. Agenda only claims on its
   * `processEvery` scan or on a notification, so without this a worker that finished its batch would
   * idle until the next scan while a backlog waits.
   */
  refill: (jobName: string) => void
}

/**
 * Wraps a backend's notification channel (or none) and adds `refill`. Calls are coalesced per job
 * name: at most one refill runs at a time per name, and one more is queued if asked meanwhile.
 *
 * Cross-process state events (start/success/complete per job) stay in their process unless asked for:
 * on PostgreSQL each is a NOTIFY round trip and every worker parses every other worker's events, which
 * costs more than the jobs themselves at high throughput. In-process subscribers (the jobs dashboard's
 * live updates) still receive this process's events.
 */
export const createRefillChannel = ({
  inner,
  propagateStateEvents = false,
}: {
  inner: NotificationChannel | undefined
  propagateStateEvents?: boolean
}): RefillChannel => {
  const localHandlers = new Set<NotificationHandler>()
  const running = new Set<string>()
  const queued = new Set<string>()
  let localState: NotificationChannelState = 'disconnected'

  const runRefill = (jobName: string): void => {
    if (running.has(jobName)) {
      queued.add(jobName)
      return
    }
    running.add(jobName)
    const notification: JobNotification = {
      jobId: toJobId(''),
      jobName,
      nextRunAt: new Date(),
      priority: 0,
      timestamp: new Date(),
    }
    Promise.allSettled([...localHandlers].map(async (handler) => handler(notification))).finally(() => {
      running.delete(jobName)
      if (queued.delete(jobName)) runRefill(jobName)
    })
  }

  const channel: RefillChannel = {
    get state(): NotificationChannelState {
      return inner ? inner.state : localState
    },
    connect: async () => {
      if (inner) await inner.connect()
      localState = 'connected'
    },
    disconnect: async () => {
      localState = 'disconnected'
      localHandlers.clear()
      if (inner) await inner.disconnect()
    },
    subscribe: (handler: NotificationHandler) => {
      localHandlers.add(handler)
      const innerUnsubscribe = inner?.subscribe(handler)
      return () => {
        localHandlers.delete(handler)
        innerUnsubscribe?.()
      }
    },
    publish: async (notification: JobNotification) => {
      if (inner) await inner.publish(notification)
      // Without a real channel a job saved here still wakes this process at once.
      else for (const handler of localHandlers) void handler(notification)
    },
    on(event: 'error' | 'stateChange', listener: ((error: Error) => void) | ((state: NotificationChannelState) => void)) {
      if (event === 'error') inner?.on('error', listener as (error: Error) => void)
      else inner?.on('stateChange', listener as (state: NotificationChannelState) => void)
      return channel
    },
    off(event: 'error' | 'stateChange', listener: ((error: Error) => void) | ((state: NotificationChannelState) => void)) {
      if (event === 'error') inner?.off('error', listener as (error: Error) => void)
      else inner?.off('stateChange', listener as (state: NotificationChannelState) => void)
      return channel
    },
    refill: runRefill,
  }
  if (propagateStateEvents && inner?.publishState && inner.subscribeState) {
    const publishState = inner.publishState.bind(inner)
    const subscribeState = inner.subscribeState.bind(inner)
    channel.publishState = (notification: JobStateNotification) => publishState(notification)
    channel.subscribeState = (handler: StateNotificationHandler) => subscribeState(handler)
  } else {
    // In-process only (no I/O): this process's job events still reach its own listeners, such as the
    // jobs dashboard's live updates. Agenda itself ignores events from its own name.
    const stateHandlers = new Set<StateNotificationHandler>()
    channel.publishState = async (notification: JobStateNotification) => {
      await Promise.allSettled([...stateHandlers].map(async (handler) => handler(notification)))
    }
    channel.subscribeState = (handler: StateNotificationHandler) => {
      stateHandlers.add(handler)
      return () => {
        stateHandlers.delete(handler)
      }
    }
  }
  return channel
}
