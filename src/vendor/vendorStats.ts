/** Counters of everything the simulator did since it started (or since `POST /reset`). */
export type VendorStats = {
  /** Messages in accepted requests: `attempts` counts every message (before de-duplication), `sends` the ones really sent. */
  messages: { attempts: number; duplicates: number; references: number; sends: number }
  /** The final outcome decided for each send (`sent` = never got further). */
  outcomes: { delivered: number; failed: number; sent: number; unsubscribed: number }
  /** Receipt callbacks: receipts queued, delivered (a 2xx from the receiver), dropped after the last try, still pending. */
  receipts: {
    callbackFailures: number
    callbacks: number
    delivered: number
    dropped: number
    duplicated: number
    late: number
    outOfOrder: number
    pending: number
    queued: number
  }
  /** `POST /messages` requests by how they were answered. */
  requests: { accepted: number; errorsAfterSend: number; invalid: number; rateLimited: number; serverErrors: number; total: number }
}

/** All-zero counters. */
export const emptyVendorStats = (): VendorStats => ({
  messages: { attempts: 0, duplicates: 0, references: 0, sends: 0 },
  outcomes: { delivered: 0, failed: 0, sent: 0, unsubscribed: 0 },
  receipts: { callbackFailures: 0, callbacks: 0, delivered: 0, dropped: 0, duplicated: 0, late: 0, outOfOrder: 0, pending: 0, queued: 0 },
  requests: { accepted: 0, errorsAfterSend: 0, invalid: 0, rateLimited: 0, serverErrors: 0, total: 0 },
})

/** What the simulator saw of one reference: every attempt (before de-duplication) and every real send. */
export type ReferenceAttempts = { attempts: number; messageIds: string[]; reference: string; sends: number }
