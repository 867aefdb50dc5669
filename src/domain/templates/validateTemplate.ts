import type { TemplateError } from './types.js'

import { parseTemplate } from './parseTemplate.js'

/**
 * Every problem in a template, with positions: unclosed `{{`, stray `}}`, empty placeholders,
 * unknown fields, `attributes` without a key, bad fallbacks. Empty when the template is fine.
 * Use it when a campaign is saved (400 with the messages) and in the editor.
 */
export const validateTemplate = ({ source }: { source: unknown }): TemplateError[] => {
  if (typeof source !== 'string') return [{ column: 1, line: 1, message: 'The message must be text', offset: 0 }]
  return parseTemplate({ source }).errors
}
