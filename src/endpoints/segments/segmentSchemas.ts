import { z } from 'zod'

/** A rule tree in the request/answer documentation (validated by `validateRules`, which names rule paths). */
export const ruleTreeDoc = z
  .record(z.string(), z.unknown())
  .describe('Rule tree (react-querybuilder JSON): {"combinator":"and"|"or","not":false,"rules":[{"field":"spend","operator":">","value":10000},…]}')

export const dslDoc = z.string().max(20_000).describe('The same rules as text, e.g. spend > INR 10,000 AND visits < 3 OR inactive for 90 days')

/** `{ rules }` or `{ dsl }` (or both, if they agree). */
export const segmentInputBody = z.strictObject({ dsl: dslDoc.optional(), rules: z.unknown().optional().describe(ruleTreeDoc.description ?? '') })

export const customerDoc = z.record(z.string(), z.unknown()).describe('A customer document (id, email, name, city, tags, totalSpend, …)')

export const previewAnswer = z.object({
  count: z.number().int().describe('How many customers match, counted in the database'),
  dsl: z.string(),
  rules: ruleTreeDoc,
  sample: z.array(customerDoc).max(10).describe('The first matching customers by id (at most 10)'),
})

export const paginatedCustomers = z.object({
  docs: z.array(customerDoc),
  hasNextPage: z.boolean(),
  hasPrevPage: z.boolean(),
  limit: z.number().int(),
  nextPage: z.number().int().nullable(),
  page: z.number().int(),
  pagingCounter: z.number().int(),
  prevPage: z.number().int().nullable(),
  totalDocs: z.number().int(),
  totalPages: z.number().int(),
})

export const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string(), path: z.string().optional(), position: z.number().int().optional() })) })
