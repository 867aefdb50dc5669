import type { TextareaFieldValidation } from 'payload'

import { textarea } from 'payload/shared'

import { describeTemplateProblems } from '../../domain/templates/describeTemplateProblems.js'

/**
 * The campaign `message` field's validation: Payload's own textarea checks (required, length), then
 * the template syntax: unclosed braces, unknown fields, bad fallbacks are a 400 naming each with its
 * line and column. An empty optional value is left to `required`.
 */
export const validateCampaignMessage: TextareaFieldValidation = (value, options) => {
  const base = textarea(value, options)
  if (base !== true || value === null || value === undefined || value === '') return base
  return describeTemplateProblems({ source: value })
}
