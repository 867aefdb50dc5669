import { z } from 'zod'

import type { DistinctSource } from '../../segments/distinctValues.js'

import { attributeKeyOf } from '../../domain/segments/fields.js'

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

/** `GET /values?field=city|tags|attributes|attributes.<key>&q=&limit=`. */
export const valuesQuery = z.object({
  field: z
    .string()
    .transform((field, ctx): DistinctSource => {
      if (field === 'city') return { kind: 'city' }
      if (field === 'tags') return { kind: 'tags' }
      if (field === 'attributes') return { kind: 'attributeKeys' }
      const key = attributeKeyOf(field)
      if (key !== null) return { key, kind: 'attributeValues' }
      ctx.addIssue({ code: 'custom', message: 'must be city, tags, attributes or attributes.<key> (letters, digits, _)' })
      return z.NEVER
    })
    .describe('city, tags, attributes (the keys) or attributes.<key> (that key\'s values)'),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('At most this many values (≤ 100)'),
  q: z.string().max(200).default('').describe('Keep values containing this text, ignoring case'),
})
