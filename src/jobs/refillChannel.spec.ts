import type { JobStateNotification, NotificationChannel, StateNotificationHandler } from 'agenda'

import { describe, expect, it } from '@jest/globals'
import { toJobId } from 'agenda'

import { createRefillChannel } from './refillChannel.js'

const event = (type: JobStateNotification['type']): JobStateNotification => ({
  jobId: toJobId('j1'),
  jobName: 'crm.probe',
  source: 'worker-a',
  timestamp: new Date(),
  type,
})

describe('createRefillChannel state events', () => {
  it('should deliver this process’s job events to local subscribers, in order, without an inner channel', async () => {
    const channel = createRefillChannel({ inner: undefined })
    const seen: string[] = []
    const unsubscribe = channel.subscribeState!((notification) => {
      seen.push(notification.type)
    })
    await channel.publishState!(event('start'))
    await channel.publishState!(event('success'))
    unsubscribe()
    await channel.publishState!(event('complete'))
    expect(seen).toEqual(['start', 'success'])
  })

  it('should keep events in-process by default even when the inner channel could broadcast them', async () => {
    const published: string[] = []
    const inner = {
      publishState: async (notification: JobStateNotification) => void published.push(notification.type),
      subscribeState: (_handler: StateNotificationHandler) => () => undefined,
    } as unknown as NotificationChannel
    const channel = createRefillChannel({ inner })
    const seen: string[] = []
    channel.subscribeState!((notification) => void seen.push(notification.type))
    await channel.publishState!(event('start'))
    expect(seen).toEqual(['start'])
    expect(published).toEqual([])
  })

  it('should hand events to the inner channel only when asked to propagate them', async () => {
    const published: string[] = []
    const inner = {
      publishState: async (notification: JobStateNotification) => void published.push(notification.type),
      subscribeState: (_handler: StateNotificationHandler) => () => undefined,
    } as unknown as NotificationChannel
    const channel = createRefillChannel({ inner, propagateStateEvents: true })
    const seen: string[] = []
    channel.subscribeState!((notification) => void seen.push(notification.type))
    await channel.publishState!(event('start'))
    // Delivered back through the inner channel's own subscription, not twice.
    expect(published).toEqual(['start'])
    expect(seen).toEqual([])
  })
})
