import type { MessageBrief } from './types.js'

import { parseTemplate } from '../templates/parseTemplate.js'

/** Placeholders a suggested message may use: every customer has them and none is sensitive. */
export const SUGGESTION_PLACEHOLDERS = ['firstName', 'name', 'city'] as const

export const DEFAULT_SUGGESTION_LENGTH = 320
export const MIN_SUGGESTIONS = 2
export const MAX_SUGGESTIONS = 3

/** Why a candidate message was dropped, or null when it is fine. */
export const suggestionProblem = (text: string, maxLength: number): null | string => {
  if (text.length === 0) return 'empty'
  if (text.length > maxLength) return `longer than ${maxLength} characters`
  const { errors, nodes } = parseTemplate({ source: text })
  if (errors.length > 0) return errors[0]!.message
  for (const node of nodes) {
    if (node.kind !== 'placeholder') continue
    const name = 'field' in node.target ? node.target.field : `attributes.${node.target.attribute}`
    if (!(SUGGESTION_PLACEHOLDERS as readonly string[]).includes(name)) return `uses {{${name}}}; only ${SUGGESTION_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')} are allowed`
  }
  return null
}

/**
 * Keeps the candidates that pass the template validator, use only `SUGGESTION_PLACEHOLDERS`, fit
 * `maxLength` and differ from each other (ignoring case and spacing); at most three, in order.
 */
export const checkSuggestions = (candidates: unknown, maxLength: number): { accepted: string[]; rejected: { reason: string; text: string }[] } => {
  const accepted: string[] = []
  const rejected: { reason: string; text: string }[] = []
  const seen = new Set<string>()
  for (const candidate of Array.isArray(candidates) ? candidates : []) {
    const text = typeof candidate === 'string' ? candidate.trim() : typeof candidate === 'object' && candidate !== null && typeof (candidate as { text?: unknown }).text === 'string' ? (candidate as { text: string }).text.trim() : ''
    const problem = suggestionProblem(text, maxLength)
    const key = text.toLowerCase().replace(/\s+/g, ' ')
    if (problem) rejected.push({ reason: problem, text })
    else if (seen.has(key)) rejected.push({ reason: 'duplicate', text })
    else if (accepted.length < MAX_SUGGESTIONS) {
      seen.add(key)
      accepted.push(text)
    }
  }
  return { accepted, rejected }
}

const sentence = (text: string): string => {
  const trimmed = text.trim().replace(/\s+/g, ' ')
  if (trimmed === '') return ''
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

type Theme = { hook: string; isGeneric?: boolean; offer?: string }

/** What the intent is about, from a few cue words (deterministic, no model). */
const themeOf = (intent: string): Theme => {
  const lower = intent.toLowerCase()
  const percent = /(\d{1,2})\s*%/.exec(lower)
  const offer = percent ? `${percent[1]}% off` : /free (?:delivery|shipping)/.test(lower) ? 'free delivery' : undefined
  if (/win ?back|lapsed|inactive|miss|churn|come back|return/.test(lower)) return { hook: 'We miss you', offer }
  if (/new (?:arrival|collection|launch|product)|launch|arriv/.test(lower)) return { hook: 'Something new just arrived', offer }
  if (/thank|loyal|vip|best customers|appreciat/.test(lower)) return { hook: 'Thank you for being with us', offer }
  if (/sale|discount|offer|deal|off\b/.test(lower)) return { hook: 'Our sale is on', offer }
  if (/birthday|festiv|diwali|holi|christmas|eid|new year/.test(lower)) return { hook: 'Season’s greetings', offer }
  return { hook: 'We have something for you', isGeneric: true, offer }
}

const CLOSERS: Record<string, string[]> = {
  formal: ['We look forward to welcoming you.', 'Kind regards.', 'We would be glad to see you.'],
  friendly: ['See you soon!', 'Come say hi!', 'We’d love to see you!'],
  playful: ['Don’t keep us waiting!', 'Your cart is lonely!', 'Go on, treat yourself!'],
  urgent: ['Hurry, it ends soon!', 'Only for a short time!', 'Don’t miss out!'],
}

/**
 * Two or three variants written without a model from the intent, the tone and (when known) the
 * audience's aggregates. Deterministic: the same brief always gives the same variants.
 */
export const offlineSuggestions = (brief: MessageBrief): string[] => {
  const tone = brief.tone && CLOSERS[brief.tone.toLowerCase()] ? brief.tone.toLowerCase() : 'friendly'
  const closers = CLOSERS[tone]!
  const { hook, isGeneric, offer } = themeOf(`${brief.intent} ${brief.campaignName ?? ''}`)
  // The intent is the marketer's note ("win back lapsed buyers"): quoted only when no theme was recognised.
  const purpose = isGeneric ? ` ${sentence(brief.intent)}` : ''
  const offerLine = offer ? ` Enjoy ${offer}.` : ''
  const valued = brief.audience && brief.audience.averageSpend !== null && brief.audience.averageSpend >= 5000 ? ' as one of our valued customers' : ''
  const greeting = tone === 'formal' ? 'Dear {{name | "customer"}}' : 'Hi {{firstName | "there"}}'
  const hookInSentence = hook[0]!.toLowerCase() + hook.slice(1)
  const candidates = [
    `${greeting}, ${hookInSentence}${valued}!${purpose}${offerLine} ${closers[0]}`,
    `${hook}, {{firstName | "friend"}}!${offerLine}${purpose} ${closers[1]}`,
    `{{firstName | "Hello"}}, a note for our customers in {{city | "your city"}}:${purpose || ` ${hookInSentence}.`}${offerLine} ${closers[2]}`,
    // Short forms, for tight length limits.
    `${hook}, {{firstName | "friend"}}!${offerLine} ${closers[1]}`,
    `${hook}, {{firstName}}!${offerLine}`,
    `Hi {{firstName}}!${offerLine || ` ${hook}.`}`,
    `${hook}!${offerLine}`,
  ].map((text) => text.replace(/\s+/g, ' ').trim())
  return checkSuggestions(candidates, brief.maxLength).accepted
}
