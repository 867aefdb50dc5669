import { z } from 'zod'

/** Statuses a vendor reports for one message (the log's `status` moves forward only; see the contract). */
export const RECEIPT_STATUSES = ['sent', 'failed', 'delivered', 'unsubscribed'] as const

export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number]

/** Most receipts in one callback. */
export const MAX_RECEIPTS_PER_BATCH = 1000

/** One delivery receipt: which message (our `reference`, the vendor's `messageId`), what happened and when. */
// Unknown fields are dropped, not refused: a vendor may add fields without breaking receipts.
export const receiptSchema = z.object({
  at: z.iso.datetime({ message: 'must be an ISO 8601 date-time with an offset', offset: true }),
  error: z.string().max(1000).optional(),
  messageId: z.string().min(1).max(200),
  reference: z.string().min(1).max(200),
  status: z.enum(RECEIPT_STATUSES),
})

export type Receipt = z.infer<typeof receiptSchema>

/** The body of `POST /api/communication-logs/receipts`: `{"receipts":[…]}`, 1 to 1000 receipts. */
export const receiptBatchSchema = z.object({
  receipts: z.array(receiptSchema).min(1, 'must hold at least one receipt').max(MAX_RECEIPTS_PER_BATCH, `must hold at most ${MAX_RECEIPTS_PER_BATCH} receipts`),
})

export type ReceiptBatch = z.infer<typeof receiptBatchSchema>

/**
 * Checks a parsed receipt body. Returns the receipts, or messages naming each problem by its path
 * (`receipts[3].status: …`) for a 400 `{"errors":[{"message"}]}`.
 */
export const parseReceiptBatch = (body: unknown): { errors: { message: string }[]; isValid: false } | { batch: ReceiptBatch; isValid: true } => {
  const result = receiptBatchSchema.safeParse(body)
  if (result.success) return { batch: result.data, isValid: true }
  return {
    errors: result.error.issues.slice(0, 20).map((issue) => ({
      message: `${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || 'body'}: ${issue.message}`,
    })),
    isValid: false,
  }
}

// zod's own ISO date-time pattern with an offset (the one `receiptSchema.at` applies).
const DATETIME_RE = (receiptSchema.shape.at as unknown as { _zod: { pattern: RegExp } })._zod.pattern
const STATUS_SET: ReadonlySet<string> = new Set(RECEIPT_STATUSES)
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length >= 1 && value.length <= max

/**
 * `parseReceiptBatch` for big batches: a hand-written check of exactly the schema's rules that builds
 * the same stripped receipts without zod's per-field machinery; anything it does not accept goes
 * through zod, so the errors (and every edge case) stay zod's.
 */
export const parseReceiptBatchFast = (body: unknown): ReturnType<typeof parseReceiptBatch> => {
  const list = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { receipts?: unknown }).receipts : undefined
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_RECEIPTS_PER_BATCH) return parseReceiptBatch(body)
  const receipts: Receipt[] = new Array(list.length)
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as Record<string, unknown> | null
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return parseReceiptBatch(body)
    const { at, error, messageId, reference, status } = item
    if (typeof at !== 'string' || !DATETIME_RE.test(at)) return parseReceiptBatch(body)
    if (!isText(messageId, 200) || !isText(reference, 200) || typeof status !== 'string' || !STATUS_SET.has(status)) return parseReceiptBatch(body)
    if (error !== undefined && (typeof error !== 'string' || error.length > 1000)) return parseReceiptBatch(body)
    receipts[i] = error === undefined ? { at, messageId, reference, status: status as ReceiptStatus } : { at, error, messageId, reference, status: status as ReceiptStatus }
  }
  return { batch: { receipts }, isValid: true }
}
