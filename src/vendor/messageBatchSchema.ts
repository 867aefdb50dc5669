import { z } from 'zod'

/**
 * One message handed to the vendor: our `reference` (the log's idempotency key; a repeat returns the
 * first result), the recipient address and the personalised text.
 */
export const vendorMessageSchema = z.object({
  reference: z.string().min(1).max(200),
  text: z.string().max(65_536),
  to: z.string().min(1).max(320),
})

export type VendorMessage = z.infer<typeof vendorMessageSchema>

/** `POST /messages` body: `{"messages":[{reference,to,text}…]}` (at least one; the most is configurable). */
export const vendorMessageBatchSchema = z.object({ messages: z.array(vendorMessageSchema).min(1, 'must hold at least one message') })

/** The answer to one message: the vendor's id for it; `duplicate` when the reference was seen before (nothing sent). */
export type VendorMessageResult = { duplicate?: true; messageId: string; reference: string; status: 'accepted' }

/** `POST /messages` answer (202), one result per message in request order. */
export type VendorBatchAnswer = { messages: VendorMessageResult[] }
