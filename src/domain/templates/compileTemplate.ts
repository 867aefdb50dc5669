import type { TemplateColumn } from './templateFields.js'
import type { CompiledTemplate, TemplateError, TemplatePlaceholder } from './types.js'

import { createDateFormatter, type DateFormatter, formatTemplateValue } from './formatTemplateValue.js'
import { parseTemplate } from './parseTemplate.js'
import { TEMPLATE_FIELDS } from './templateFields.js'

type Customer = Readonly<Record<string, unknown>>

const readOwn = (record: unknown, key: string): unknown =>
  record !== null && typeof record === 'object' && Object.prototype.hasOwnProperty.call(record, key) ? (record as Record<string, unknown>)[key] : undefined

/** One placeholder as a function of the customer, with its kind and fallback resolved once. */
const rendererFor = ({ formatDate, placeholder }: { formatDate: DateFormatter; placeholder: TemplatePlaceholder }): ((customer: Customer) => string) => {
  const fallback = placeholder.fallback ?? ''
  const { target } = placeholder
  if ('attribute' in target) {
    const key = target.attribute
    return (customer) => formatTemplateValue({ formatDate, kind: 'any', value: readOwn(readOwn(customer, 'attributes'), key) }) || fallback
  }
  const kind = TEMPLATE_FIELDS[target.field]
  const column = target.field === 'firstName' ? 'name' : target.field
  return (customer) => formatTemplateValue({ formatDate, kind, value: readOwn(customer, column) }) || fallback
}

/**
 * Parses and checks a template once, for rendering many messages with `renderTemplate`. Errors
 * (with positions) come back as a result, never thrown. `timeZone` (IANA, default `UTC`; pass the
 * store zone) is the zone dates render in; an unknown zone is a programming error and throws a RangeError.
 */
export const compileTemplate = ({
  source,
  timeZone = 'UTC',
}: {
  source: string
  timeZone?: string
}): { errors: TemplateError[]; isValid: false } | { isValid: true; template: CompiledTemplate } => {
  const formatDate = createDateFormatter(timeZone)
  if (typeof source !== 'string') return { errors: [{ column: 1, line: 1, message: 'The message must be text', offset: 0 }], isValid: false }
  const { errors, nodes } = parseTemplate({ source })
  if (errors.length > 0) return { errors, isValid: false }
  const columns = new Set<TemplateColumn>()
  const attributeKeys = new Set<string>()
  const placeholders: TemplatePlaceholder[] = []
  const parts: CompiledTemplate['parts'][number][] = []
  for (const node of nodes) {
    if (node.kind === 'text') {
      parts.push(node.text)
      continue
    }
    const { kind: _kind, ...placeholder } = node
    placeholders.push(placeholder)
    parts.push(rendererFor({ formatDate, placeholder }))
    if ('attribute' in placeholder.target) {
      columns.add('attributes')
      attributeKeys.add(placeholder.target.attribute)
    } else columns.add(placeholder.target.field === 'firstName' ? 'name' : placeholder.target.field)
  }
  return {
    isValid: true,
    template: { attributeKeys: [...attributeKeys].sort(), columns: [...columns].sort(), parts, placeholders, source, timeZone },
  }
}
