import type { CompiledTemplate } from './types.js'

/**
 * One personalised message: the template's text with each placeholder replaced by the customer's
 * value, as plain text (no HTML escaping), or by its fallback (or nothing) when the value is missing.
 * `customer` is a customer document or a row with at least the template's `columns`. Never throws.
 */
export const renderTemplate = ({ customer, template }: { customer: Readonly<Record<string, unknown>>; template: CompiledTemplate }): string => {
  let out = ''
  for (const part of template.parts) out += typeof part === 'string' ? part : part(customer)
  return out
}
