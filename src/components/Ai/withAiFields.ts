import type { CollectionConfig, Field } from 'payload'

/** Package paths of the AI admin components (resolved by the host app's import map). */
export const AI_COMPONENTS = {
  campaignSummary: 'mini-crm/client#CampaignSummaryField',
  describeAudience: 'mini-crm/client#DescribeAudienceField',
  suggestMessages: 'mini-crm/client#SuggestMessagesField',
} as const

const uiField = (name: string, path: string, extra: Partial<Extract<Field, { type: 'ui' }>['admin']> = {}): Field => ({
  name,
  type: 'ui',
  admin: { ...extra, components: { Field: path } },
})

/** `fields` with `field` inserted before (or after) the field named `anchor`; at the end when there is none. */
const insertAt = (fields: Field[], anchor: string, field: Field, after = false): Field[] => {
  const at = fields.findIndex((f) => 'name' in f && f.name === anchor)
  if (at < 0) return [...fields, field]
  const index = after ? at + 1 : at
  return [...fields.slice(0, index), field, ...fields.slice(index)]
}

/**
 * Adds the AI buttons as `ui` fields (no database column): "Describe audience" above a segment's
 * `rules` (the rules field's own component stays untouched), "Suggest messages" under a campaign's
 * `message`, and "Summarise" in a campaign's sidebar.
 */
export const withAiFields = (collection: CollectionConfig): CollectionConfig => {
  if (collection.slug === 'segments') return { ...collection, fields: insertAt(collection.fields, 'rules', uiField('aiDescribeAudience', AI_COMPONENTS.describeAudience)) }
  if (collection.slug === 'campaigns') {
    // After the editor's message help when there is one (its template errors belong right under the message).
    const hasHelp = collection.fields.some((f) => 'name' in f && f.name === 'campaignMessageHelp')
    const withSuggest = insertAt(collection.fields, hasHelp ? 'campaignMessageHelp' : 'message', uiField('aiSuggestMessages', AI_COMPONENTS.suggestMessages), true)
    return { ...collection, fields: [...withSuggest, uiField('aiSummary', AI_COMPONENTS.campaignSummary, { position: 'sidebar' })] }
  }
  return collection
}
