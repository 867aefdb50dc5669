import type { AudienceFacts, CampaignFacts, MessageBrief } from './types.js'

import { campaignRates } from './campaignSummary.js'
import { SUGGESTION_PLACEHOLDERS } from './messageSuggestions.js'
import { FIELD_NAMES, OPERATORS } from '../segments/types.js'

const money = (value: null | number, currency: string): string => (value === null ? 'unknown' : `${currency} ${Math.round(value)}`)
const round1 = (value: null | number): string => (value === null ? 'unknown' : String(Math.round(value * 10) / 10))

/** The audience as the model sees it: rules and aggregates only. */
export const describeAudience = (audience: AudienceFacts): string =>
  [
    `Audience rules: ${audience.dsl}`,
    `Audience size: ${audience.count} customers`,
    `Average total spend: ${money(audience.averageSpend, audience.currency)}`,
    `Average visits: ${round1(audience.averageVisits)}`,
    `Average orders: ${round1(audience.averageOrders)}`,
  ].join('\n')

export const SUGGESTION_SYSTEM = [
  'You write short marketing messages (SMS/email body text) for a retail CRM.',
  `You may personalise only with these placeholders: ${SUGGESTION_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}; a fallback is written {{firstName | "there"}}. Never invent other placeholders.`,
  'Write 3 clearly different variants. Plain text, no HTML, no links you were not given.',
].join('\n')

/** The user prompt for message variants. */
export const suggestionPrompt = (brief: MessageBrief, feedback?: string): string =>
  [
    `Campaign intent: ${brief.intent}`,
    brief.campaignName ? `Campaign name: ${brief.campaignName}` : '',
    `Tone: ${brief.tone ?? 'friendly'}`,
    `Each variant at most ${brief.maxLength} characters.`,
    brief.audience ? describeAudience(brief.audience) : 'Audience: not specified.',
    feedback ? `Your previous answer had problems: ${feedback}. Fix them.` : '',
    'Answer as JSON {"suggestions": ["…", "…", "…"]}.',
  ]
    .filter(Boolean)
    .join('\n')

export const SUGGESTION_JSON_SCHEMA = {
  additionalProperties: false,
  properties: { suggestions: { items: { type: 'string' }, maxItems: 3, minItems: 2, type: 'array' } },
  required: ['suggestions'],
  type: 'object',
} as const

export const SEGMENT_SYSTEM = [
  'You turn a marketer\'s description of customers into a segment rule tree (react-querybuilder JSON).',
  `Fields: spend (total spend, a number in the store currency), visits, orders (order count), inactiveDays (whole days since the last order, or since signup when none), lastOrderAt, lastVisitAt, createdAt (dates), city, email, name, phone (text), tags (contains "x" = has tag x), marketingOptOut (boolean), attributes.<key>.`,
  `Operators: ${OPERATORS.join(', ')}. between takes [low, high]; in/notIn take a list; withinDays and beforeDaysAgo take whole days; null/notNull take no value.`,
  '"5k" means 5000. "haven\'t ordered in 3 months" is inactiveDays >= 90. Use only the fields listed: ' + FIELD_NAMES.join(', ') + '.',
].join('\n')

/** The user prompt for a rule tree; `feedback` carries the validator's complaints on a retry. */
export const segmentPrompt = (text: string, feedback?: string): string =>
  [`Description: ${text}`, feedback ? `Your previous rule tree was invalid: ${feedback}. Return a corrected tree.` : '', 'Answer with the rule tree only.'].filter(Boolean).join('\n')

export const SUMMARY_SYSTEM =
  'You summarise a finished marketing campaign for a marketer in 3 to 5 plain sentences: delivery rate, the main failure reasons, and how it compares with previous campaigns. Use only the numbers given; do not invent any.'

export const SUMMARY_JSON_SCHEMA = {
  additionalProperties: false,
  properties: { summary: { type: 'string' } },
  required: ['summary'],
  type: 'object',
} as const

/** The campaign's numbers as the model sees them. */
export const summaryPrompt = (facts: CampaignFacts): string => {
  const { deliveryRate, failureRate } = campaignRates(facts.stats)
  return [
    `Campaign: ${facts.name} (status ${facts.status})`,
    facts.intent ? `Intent: ${facts.intent}` : '',
    `Stats: ${JSON.stringify(facts.stats)}`,
    `Delivery rate: ${(deliveryRate * 100).toFixed(1)}%, failure rate: ${(failureRate * 100).toFixed(1)}%`,
    `Failures by reason: ${facts.failureReasons.length > 0 ? facts.failureReasons.map((f) => `${f.reason}: ${f.count}`).join('; ') : 'none'}`,
    facts.previous
      ? `Previous ${facts.previous.campaigns} finished campaigns, averages: delivery ${(facts.previous.averageDeliveryRate * 100).toFixed(1)}%, failure ${(facts.previous.averageFailureRate * 100).toFixed(1)}%, audience ${Math.round(facts.previous.averageAudience)}`
      : 'No previous finished campaigns.',
    'Answer as JSON {"summary": "…"}.',
  ]
    .filter(Boolean)
    .join('\n')
}
