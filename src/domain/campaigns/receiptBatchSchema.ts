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
