/** How a placeholder's value is turned into text (see `formatTemplateValue`). */
export type TemplateFieldKind = 'boolean' | 'date' | 'firstName' | 'list' | 'number' | 'text'

/**
 * The top-level customer fields a template may name (the contract's customer fields plus
 * `firstName`), each with how it renders. `attributes` is named only as `attributes.<key>`.
 */
export const TEMPLATE_FIELDS = {
  city: 'text',
  createdAt: 'date',
  email: 'text',
  firstName: 'firstName',
  lastOrderAt: 'date',
  lastVisitAt: 'date',
  marketingOptOut: 'boolean',
  name: 'text',
  orderCount: 'number',
  phone: 'text',
  tags: 'list',
  totalSpend: 'number',
  visits: 'number',
} as const satisfies Record<string, TemplateFieldKind>

export type TemplateField = keyof typeof TEMPLATE_FIELDS

/** A customer column a template can read: a field above (`firstName` reads `name`) or `attributes`. */
export type TemplateColumn = Exclude<TemplateField, 'firstName'> | 'attributes'

/** `true` for a top-level field name a template may use (case-sensitive). */
export const isTemplateField = (name: string): name is TemplateField => Object.prototype.hasOwnProperty.call(TEMPLATE_FIELDS, name)

/** The field a person probably meant by an unknown name (`FirstName` → `firstName`), if any. */
export const suggestTemplateField = (name: string): TemplateField | undefined => {
  const folded = name.toLowerCase().replace(/[_-]/g, '')
  return (Object.keys(TEMPLATE_FIELDS) as TemplateField[]).find((field) => field.toLowerCase() === folded)
}
