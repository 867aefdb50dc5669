import { FIELD_NAMES, OPERATORS } from '../segments/types.js'

/** How many levels of groups the model may nest (the root counts as one). */
export const RULE_SCHEMA_DEPTH = 3

type JsonSchema = Record<string, unknown>

const SCALAR: JsonSchema = { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] }

/** One comparison: the contract's fields (or `attributes.<key>`) and operators. */
export const ruleJsonSchema = (): JsonSchema => ({
  additionalProperties: false,
  properties: {
    field: {
      description: `One of ${FIELD_NAMES.join(', ')}, or attributes.<key> for an imported CSV column`,
      type: 'string',
    },
    operator: { enum: [...OPERATORS], type: 'string' },
    value: {
      anyOf: [...(SCALAR.anyOf as JsonSchema[]), { items: SCALAR, type: 'array' }],
      description: 'Number, text or boolean; a [low, high] list for between; a list for in/notIn; whole days for withinDays/beforeDaysAgo/inactiveDays; absent for null/notNull',
    },
  },
  required: ['field', 'operator'],
  type: 'object',
})

/**
 * The rule tree as a JSON schema for a model's structured output, unrolled to `depth` levels of
 * groups: providers may refuse recursive (`$ref`) schemas, and no real audience needs more. What
 * the model returns is still checked by the segment engine's own schema (`ruleTreeSchema`).
 */
export const ruleTreeJsonSchema = (depth: number = RULE_SCHEMA_DEPTH): JsonSchema => {
  const group = (level: number): JsonSchema => ({
    additionalProperties: false,
    properties: {
      combinator: { enum: ['and', 'or'], type: 'string' },
      not: { type: 'boolean' },
      rules: {
        items: level < depth ? { anyOf: [ruleJsonSchema(), group(level + 1)] } : ruleJsonSchema(),
        minItems: 1,
        type: 'array',
      },
    },
    required: ['combinator', 'rules'],
    type: 'object',
  })
  return group(1)
}

/** Deepest group nesting in a JSON schema made by `ruleTreeJsonSchema` (1 = a flat group); for tests. */
export const groupDepthOf = (schema: unknown): number => {
  if (typeof schema !== 'object' || schema === null) return 0
  const node = schema as { anyOf?: unknown[]; items?: unknown; properties?: Record<string, unknown> }
  const own = node.properties && 'combinator' in node.properties ? 1 : 0
  const children = [
    ...(node.anyOf ?? []),
    ...(node.items ? [node.items] : []),
    ...(node.properties ? Object.values(node.properties) : []),
  ].map(groupDepthOf)
  return own + Math.max(0, ...children)
}
