/** Messages between `bench/send.bench.ts` (the parent) and its measured server process `bench/send.server.ts`. */

/** Receipts per callback, as the vendor simulator sends them (its `callbackBatchSize`). */
export const RECEIPT_BATCH = 1000

/** Callbacks in flight at once, as the simulator sends them (its `callbackConcurrency`). */
export const RECEIPT_CONCURRENCY = 4

/** Server → parent: phase changes (the parent samples RSS in between) and the replay's references. */
export type SendBenchMessage =
  | { type: 'live-end' }
  | { type: 'live-start' }
  | { type: 'replay-end' }
  | { references: string[]; type: 'replay-ready'; url: string }

/** Parent → server: the replay starts now; the replay's batches have all been answered. */
export type SendBenchReply = { type: 'replay-go' } | { elapsedMs: number; failures: number; type: 'replay-fired' }
