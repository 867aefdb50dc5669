import { validateTemplate } from './validateTemplate.js'

/** Most problems named in one message; the count still says how many there are. */
const MAX_LISTED = 5

/**
 * `true` for a usable template, else one sentence listing its problems with their positions, for a
 * field validation error (400) when a campaign is saved.
 */
export const describeTemplateProblems = ({ source }: { source: unknown }): string | true => {
  const errors = validateTemplate({ source })
  if (errors.length === 0) return true
  const listed = errors.slice(0, MAX_LISTED).map((error) => error.message)
  const more = errors.length > MAX_LISTED ? `; and ${errors.length - MAX_LISTED} more` : ''
  return `The message template has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${listed.join('; ')}${more}`
}
