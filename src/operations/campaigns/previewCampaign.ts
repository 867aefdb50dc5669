import type { PayloadRequest } from 'payload'

import type { EditorAudience, SampleCustomer } from '../../bulk/index.js'
import type { TemplateError } from '../../domain/templates/index.js'

import { countEditorAudience, readCustomersForTemplate, sampleCustomers } from '../../bulk/index.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'
import { compileTemplate, renderTemplate } from '../../domain/templates/index.js'
import { compileAudience } from '../../segments/audience.js'

export type PreviewInput = { customerId?: number; customers?: number[]; message: string; segment?: null | number }

export type PreviewResult =
  | {
      /** The audience a send would reach now: `size` people, `skipped` opted out. Null without one (or with two). */
      audience: null | { size: number; skipped: number }
      /** Why there is no audience figure (none chosen, both chosen, the segment's rules are invalid). */
      audienceProblem: null | string
      /** Whom the message was rendered for. */
      customer: null | SampleCustomer
      errors: TemplateError[]
      ok: true
      /** Customers to switch the preview to (audience members who would get it, or any customers). */
      samples: SampleCustomer[]
      /** The rendered message; null while the template has errors or there is no customer. */
      text: null | string
    }
  | { message: string; ok: false; path: string; status: 404 }

const SAMPLE_LIMIT = 10

/**
 * What the campaign editor shows for a message and an audience that may not be saved yet: the
 * template's errors with positions, the message rendered for a chosen (or the first sample)
 * customer, the live audience size and the opted-out count. Reads only.
 */
export const previewCampaign = async ({ input, req }: { input: PreviewInput; req: PayloadRequest }): Promise<PreviewResult> => {
  const { payload } = req
  const timeZone = crmOptionsOf(payload).storeTimezone
  let audience: EditorAudience | null = null
  let audienceProblem: null | string = null
  const picked = input.customers ?? []
  if (input.segment != null && picked.length > 0) audienceProblem = 'A campaign has exactly one audience: choose a segment or pick customers, not both.'
  else if (input.segment != null) {
    const segment = (await payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: input.segment, overrideAccess: true, req })) as { rules?: unknown } | null
    if (!segment) return { message: `No segment with id ${input.segment}`, ok: false, path: 'segment', status: 404 }
    const validation = validateRules(segment.rules)
    if (validation.ok) {
      const { compiled } = await compileAudience({ clock: { now: new Date(), timeZone }, payload, req, rules: validation.rules })
      audience = { ctes: compiled.ctes, kind: 'rule', where: compiled.where }
    } else audienceProblem = 'The segment’s rules are invalid; fix the segment first.'
  } else if (picked.length > 0) audience = { ids: picked, kind: 'picked' }
  else audienceProblem = 'No audience yet: choose a segment or pick customers.'

  const size = audience ? await countEditorAudience({ audience, payload, req }) : null
  const samples = await sampleCustomers({ audience, limit: SAMPLE_LIMIT, payload, req })
  let customer: null | SampleCustomer = samples[0] ?? null
  if (input.customerId !== undefined) {
    customer = samples.find((sample) => sample.id === input.customerId) ?? null
    if (!customer) {
      const doc = (await payload.findByID({ collection: 'customers', depth: 0, disableErrors: true, id: input.customerId, overrideAccess: true, req })) as null | SampleCustomer
      if (!doc) return { message: `No customer with id ${input.customerId}`, ok: false, path: 'customerId', status: 404 }
      customer = { email: doc.email ?? null, id: Number(doc.id), name: doc.name ?? null }
    }
  }
  const compiled = compileTemplate({ source: input.message, timeZone })
  let text: null | string = null
  if (compiled.isValid && customer) {
    const rows = await readCustomersForTemplate({ columns: compiled.template.columns, ids: [customer.id], payload })
    const row = rows.get(customer.id)
    text = row ? renderTemplate({ customer: row, template: compiled.template }) : null
  }
  return { audience: size, audienceProblem, customer, errors: compiled.isValid ? [] : compiled.errors, ok: true, samples, text }
}
