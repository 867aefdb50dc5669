import type { JsonSchema } from './types.js'

import { z } from 'zod'

/** Request schemas describe what clients send (`input`), response schemas what they get (`output`). */
export type SchemaIo = 'input' | 'output'

export type SchemaRegistry = {
  /** Adds a named component schema (renamed if a different schema already has the name) and returns a `$ref` to it. */
  add: (name: string, schema: JsonSchema) => JsonSchema
  /** Every component schema added so far; becomes `components.schemas`. */
  components: Record<string, JsonSchema>
  /**
   * Converts a zod schema to JSON Schema 2020-12 (OpenAPI 3.1's dialect). Definitions zod puts in
   * `$defs` are hoisted into the components, because a `#/$defs/…` pointer inside an OpenAPI document
   * would resolve against the document root and dangle.
   */
  fromZod: (schema: z.ZodType, options: { io: SchemaIo; name: string }) => JsonSchema
}

const COMPONENT_NAME_RE = /[^\w.-]/g

const REF_PREFIX = '#/components/schemas/'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Deep copy that rewrites every `$ref` through `mapRef`. */
const rewriteRefs = (value: unknown, mapRef: (ref: string) => string): unknown => {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, mapRef))
  if (!isRecord(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof child === 'string' ? mapRef(child) : rewriteRefs(child, mapRef)
  }
  return out
}

const refTo = (name: string): JsonSchema => ({ $ref: `${REF_PREFIX}${name}` })

export const createSchemaRegistry = (): SchemaRegistry => {
  const components: Record<string, JsonSchema> = {}

  const add = (rawName: string, schema: JsonSchema): JsonSchema => {
    const base = rawName.replace(COMPONENT_NAME_RE, '_') || 'Schema'
    const serialised = JSON.stringify(schema)
    let name = base
    for (let n = 2; components[name] && JSON.stringify(components[name]) !== serialised; n += 1) name = `${base}${n}`
    components[name] = schema
    return refTo(name)
  }

  const fromZod: SchemaRegistry['fromZod'] = (schema, { io, name }) => {
    const raw = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema
    const { $defs: rawDefs, $schema: _dialect, ...root } = raw
    const rootId = z.globalRegistry.get(schema)?.id
    // A recursive root refers to itself as `#`, and a root with `.meta({ id })` is meant to be shared:
    // both become components. Everything else stays inline.
    // (zod already answers a bare `$ref` into `$defs` for an id'd root; that one needs no hoisting.)
    const isBareRef = Object.keys(root).length === 1 && typeof root.$ref === 'string'
    const hoistRoot = !isBareRef && (Boolean(rootId) || JSON.stringify(root).includes('"$ref":"#"'))
    const entries: [string, unknown][] = Object.entries(isRecord(rawDefs) ? rawDefs : {})
    if (hoistRoot) entries.push(['#', root])
    // Ids given with `.meta({ id })` keep their name; zod's anonymous `__schemaN` are named after `name`.
    const names = new Map<string, string>(
      entries.map(([key]) => [
        key,
        (key === '#' ? (rootId ?? name) : key.startsWith('__schema') ? `${name}_${key.slice('__schema'.length)}` : key).replace(COMPONENT_NAME_RE, '_'),
      ]),
    )
    const mapRef = (ref: string): string => {
      const key = ref === '#' ? '#' : ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined
      const target = key === undefined ? undefined : names.get(key)
      return target ? `${REF_PREFIX}${target}` : ref
    }
    // A name already taken by a different schema gets a suffix; renaming changes the pointers, so
    // repeat until the names settle (one or two rounds in practice).
    for (let round = 0; round < 10; round += 1) {
      let isSettled = true
      for (const [key, def] of entries) {
        const current = names.get(key) ?? key
        const existing = components[current]
        if (!existing || JSON.stringify(existing) === JSON.stringify(rewriteRefs(def, mapRef))) continue
        const taken = new Set([...Object.keys(components), ...names.values()])
        let n = 2
        while (taken.has(`${current}${n}`)) n += 1
        names.set(key, `${current}${n}`)
        isSettled = false
      }
      if (isSettled) break
    }
    for (const [key, def] of entries) components[names.get(key) ?? key] = rewriteRefs(def, mapRef) as JsonSchema
    return hoistRoot ? refTo(names.get('#') ?? name) : (rewriteRefs(root, mapRef) as JsonSchema)
  }

  return { add, components, fromZod }
}
