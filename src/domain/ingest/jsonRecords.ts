import { z } from 'zod'

import type { CastCustomer, CastOrder } from './types.js'

import { ORDER_STATUSES } from '../../constants.js'
import { checkEmail, normaliseEmail, parseIsoDate } from '../validation/index.js'

const ISO_HINT = 'must be an ISO 8601 date such as 2025-03-01 or 2025-03-01T10:00:00+05:30'

const email = z.string().superRefine((value, ctx) => {
  const checked = checkEmail(value)
  if (checked !== true) ctx.addIssue({ code: 'custom', message: checked })
})
const isoDate = (timeZone: string) =>
  z.string().transform((value, ctx) => {
    const parsed = parseIsoDate(value, timeZone)
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: ISO_HINT })
      return z.NEVER
    }
    return parsed.toISOString()
  })
const text = z.string().max(64 * 1024, 'is longer than 64 KiB')
const attributes = z.record(z.string(), z.unknown())

/** One `POST /api/ingest/customers` record: the customers collection's own field names. */
export const customerRecordSchema = (timeZone: string) =>
  z
    .object({
      attributes: attributes.optional(),
      city: text.nullish(),
      createdAt: isoDate(timeZone).optional(),
      email,
      lastVisitAt: isoDate(timeZone).optional(),
      marketingOptOut: z.boolean().optional(),
      name: text.nullish(),
      phone: text.nullish(),
      tags: z.array(text).optional(),
      totalSpend: z.number().finite().nonnegative().optional().describe('The spend carried over (stored as baseSpend)'),
      visits: z.number().int().nonnegative().optional(),
    })
    .strict()

/** One `POST /api/ingest/orders` record. */
export const orderRecordSchema = ({ storeCurrency, timeZone }: { storeCurrency: string; timeZone: string }) =>
  z
    .object({
      amount: z.number().finite().nonnegative(),
      attributes: attributes.optional(),
      currency: z
        .string()
        .refine((value) => value.toUpperCase() === storeCurrency, `must be the store currency ${storeCurrency} (no conversion)`)
        .optional(),
      customerEmail: email,
      externalId: z.string().trim().min(1, 'is required').max(255),
      orderedAt: isoDate(timeZone),
      status: z.enum(ORDER_STATUSES).optional(),
    })
    .strict()

export type IngestRejection = { index: number; message: string }

/**
 * Validates every record of a JSON ingest batch at once: the accepted ones (with their index in
 * the request, cast for the bulk layer) and one message per rejected index naming its fields.
 */
export const validateIngestRecords = <TSchema extends z.ZodType, TRow>({
  records,
  schema,
  toRow,
}: {
  records: readonly unknown[]
  schema: TSchema
  toRow: (record: z.output<TSchema>) => TRow
}): { accepted: { index: number; row: TRow }[]; rejected: IngestRejection[] } => {
  const accepted: { index: number; row: TRow }[] = []
  const rejected: IngestRejection[] = []
  records.forEach((record, index) => {
    const result = schema.safeParse(record)
    if (result.success) accepted.push({ index, row: toRow(result.data) })
    else
      rejected.push({
        index,
        message: result.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; '),
      })
  })
  return { accepted, rejected }
}

export const toCustomerRow = (record: z.output<ReturnType<typeof customerRecordSchema>>): CastCustomer => {
  const { email: given, totalSpend, ...rest } = record
  const row: Record<string, unknown> = { email: normaliseEmail(given) }
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) row[key] = value
  if (totalSpend !== undefined) row.baseSpend = totalSpend
  return row as CastCustomer
}

export const toOrderRow = (record: z.output<ReturnType<typeof orderRecordSchema>>): CastOrder => ({
  ...record,
  currency: record.currency?.toUpperCase(),
  customerEmail: normaliseEmail(record.customerEmail),
})
