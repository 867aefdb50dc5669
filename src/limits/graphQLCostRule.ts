import type { ComplexityEstimator } from 'graphql-query-complexity'
import type { ValidationRule } from 'graphql'

import { GraphQLError, getNamedType, getNullableType, isListType, isObjectType } from 'graphql'
import { createComplexityRule } from 'graphql-query-complexity'

import { clampLimit } from './capListReads.js'

/** Payload's page size when a query names no `limit`. */
const PAYLOAD_DEFAULT_LIMIT = 10
/** A list of documents with no `limit` argument (a `hasMany` relationship) is assumed to hold this many. */
const ASSUMED_LIST_LENGTH = 10
/** A paginated read is a query plus a count, whatever it selects: 200 reads of one document each are not free. */
export const GRAPHQL_READ_COST = 100

/**
 * How many documents a field may return: its `limit` clamped as `capListReads` will clamp it (a missing
 * limit is Payload's default, or the cap with `pagination: false`), an assumed length for other lists of
 * objects, 1 for everything else.
 */
const documentsPerSelection = ({
  args,
  field,
  maxPageSize,
}: Pick<Parameters<ComplexityEstimator>[0], 'args' | 'field'> & { maxPageSize: number }): number => {
  if (field.args.some((arg) => arg.name === 'limit')) {
    if (args.limit === undefined || args.limit === null) return args.pagination === false ? maxPageSize : PAYLOAD_DEFAULT_LIMIT
    return clampLimit({ limit: args.limit, maxPageSize }) ?? PAYLOAD_DEFAULT_LIMIT
  }
  // `docs` of a paginated answer is already counted by its parent's `limit`.
  if (field.name !== 'docs' && isListType(getNullableType(field.type)) && isObjectType(getNamedType(field.type))) return ASSUMED_LIST_LENGTH
  return 1
}

/**
 * A GraphQL validation rule bounding what one query may ask for, `limit` included (Payload's own
 * complexity limit counts each field once, so 200 aliases of `Customers(limit: 1000)` passed it).
 * Cost ≈ values returned: every selected field counts 1, a list counts its selection once per document
 * it may return, and every paginated read adds `GRAPHQL_READ_COST`. Over `maxCost` → the query is
 * refused before it runs, with a message saying why.
 */
export const createGraphQLCostRule = ({
  maxCost,
  maxPageSize,
  variables,
}: {
  maxCost: number
  maxPageSize: number
  variables?: Record<string, unknown>
}): ValidationRule =>
  createComplexityRule({
    createError: (max, actual) =>
      new GraphQLError(
        `This query is too expensive: its estimated cost is ${actual}, the limit is ${max}. Each field counts 1, a list counts ` +
          `its fields once per document it may return (its limit: default ${PAYLOAD_DEFAULT_LIMIT}, at most ${maxPageSize}) and each ` +
          `list read adds ${GRAPHQL_READ_COST}. Ask for fewer documents, fields or aliases, and page through with "page".`,
      ),
    estimators: [
      ({ args, childComplexity, field }) => {
        const documents = documentsPerSelection({ args, field, maxPageSize })
        const readCost = field.args.some((arg) => arg.name === 'limit') ? GRAPHQL_READ_COST : 0
        return 1 + readCost + documents * childComplexity
      },
    ],
    maximumComplexity: maxCost,
    variables,
  })
