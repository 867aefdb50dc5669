import type { Agenda } from 'agenda'
import type { Payload } from 'payload'

// The job runtime of each Payload instance in this process, for endpoints that queue work.
const queues = new WeakMap<Payload, Agenda>()

export const setJobQueue = (payload: Payload, agenda: Agenda | null): void => {
  if (agenda) queues.set(payload, agenda)
  else queues.delete(payload)
}

/** The Agenda of this process's job runtime, or undefined when none was started here. */
export const jobQueueOf = (payload: Payload): Agenda | undefined => queues.get(payload)
