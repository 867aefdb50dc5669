import { z } from 'zod'

import { createSchemaRegistry } from './schemaRegistry.js'

const Rule = z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional() })
const RuleGroup = z.object({
  combinator: z.enum(['and', 'or']),
  get rules(): z.ZodArray<z.ZodUnion<[typeof Rule, typeof RuleGroup]>> {
    return z.array(z.union([Rule, RuleGroup]))
  },
})

describe('createSchemaRegistry', () => {
  it('should convert a plain zod object inline, without $schema', () => {
    const registry = createSchemaRegistry()
    const schema = registry.fromZod(z.object({ email: z.email(), n: z.number().int().optional() }), { io: 'input', name: 'Thing' })
    expect(schema).toMatchObject({
      properties: { email: { format: 'email', type: 'string' }, n: { type: 'integer' } },
      required: ['email'],
      type: 'object',
    })
    expect(schema).not.toHaveProperty('$schema')
    expect(registry.components).toEqual({})
  })

  it('should keep properties whose names look like schema keywords', () => {
    const registry = createSchemaRegistry()
    const schema = registry.fromZod(z.object({ id: z.string(), type: z.string() }), { io: 'input', name: 'Params' })
    expect(Object.keys(schema.properties as object)).toEqual(['id', 'type'])
  })

  it('should describe coerced query values by their target type on input', () => {
    const registry = createSchemaRegistry()
    const schema = registry.fromZod(z.object({ limit: z.coerce.number().int().default(10) }), { io: 'input', name: 'Q' })
    expect(schema).toMatchObject({ properties: { limit: { default: 10, type: 'integer' } } })
  })

  it('should hoist a recursive schema into components and point every $ref at it', () => {
    const registry = createSchemaRegistry()
    const schema = registry.fromZod(z.object({ rules: RuleGroup }), { io: 'input', name: 'Preview' })
    const text = JSON.stringify({ components: registry.components, schema })
    expect(text).not.toContain('#/$defs/')
    expect(text).not.toContain('"$ref":"#"')
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!)
    expect(refs.length).toBeGreaterThan(0)
    for (const name of refs) expect(registry.components).toHaveProperty([name])
  })

  it('should hoist a recursive root schema and return a $ref to it', () => {
    const registry = createSchemaRegistry()
    const schema = registry.fromZod(RuleGroup, { io: 'output', name: 'RuleGroup' })
    expect(schema).toEqual({ $ref: '#/components/schemas/RuleGroup' })
    expect(JSON.stringify(registry.components.RuleGroup)).toContain('"$ref":"#/components/schemas/RuleGroup"')
  })

  it('should keep names given with .meta({ id }) and reuse identical components', () => {
    const registry = createSchemaRegistry()
    const Money = z.object({ amount: z.number(), currency: z.string() }).meta({ id: 'Money' })
    const first = registry.fromZod(z.object({ price: Money, total: Money }), { io: 'output', name: 'A' })
    const second = registry.fromZod(Money, { io: 'output', name: 'B' })
    expect(first).toMatchObject({ properties: { price: { $ref: '#/components/schemas/Money' } } })
    expect(second).toEqual({ $ref: '#/components/schemas/Money' })
    expect(Object.keys(registry.components)).toEqual(['Money'])
  })

  it('should rename a component whose name is taken by a different schema', () => {
    const registry = createSchemaRegistry()
    registry.add('Thing', { type: 'string' })
    expect(registry.add('Thing', { type: 'number' })).toEqual({ $ref: '#/components/schemas/Thing2' })
    expect(registry.add('Thing', { type: 'string' })).toEqual({ $ref: '#/components/schemas/Thing' })
  })
})
