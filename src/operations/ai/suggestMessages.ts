import type { PayloadRequest } from 'payload'

import type { AiService } from '../../ai/types.js'
import type { MessageBrief } from '../../domain/ai/types.js'
import type { RuleClock } from '../../domain/segments/types.js'

import { AiError } from '../../ai/aiError.js'
import { checkSuggestions, MIN_SUGGESTIONS } from '../../domain/ai/messageSuggestions.js'
import { audienceFactsOf } from './audienceFactsOf.js'

export type SuggestMessagesInput = Omit<MessageBrief, 'audience'> & { segmentId?: number | string }

/**
 * 2–3 distinct message variants that pass the template validator and use only safe placeholders.
 * The audience reaches the model as rules and aggregates only. Variants that fail the checks are
 * dropped; too few left → one more request naming the problems, then a 502.
 */
export const suggestMessages = async ({ clock, currency, input, req, service }: { clock: RuleClock; currency: string; input: SuggestMessagesInput; req: PayloadRequest; service: AiService }): Promise<{ audience?: { count: number }; source: string; suggestions: { text: string }[] }> => {
  const { segmentId, ...rest } = input
  const audience = segmentId === undefined ? undefined : await audienceFactsOf({ clock, currency, req, segmentId })
  const brief: MessageBrief = { ...rest, audience }
  const accepted: string[] = []
  let feedback: string | undefined
  for (let round = 0; round < 2 && accepted.length < MIN_SUGGESTIONS; round++) {
    const raw = await service.suggestMessages({ brief, feedback })
    const checked = checkSuggestions([...accepted, ...(Array.isArray(raw) ? raw : [])], brief.maxLength)
    accepted.splice(0, accepted.length, ...checked.accepted)
    feedback = checked.rejected.map((r) => `"${r.text.slice(0, 60)}": ${r.reason}`).join('; ') || 'fewer than 2 variants'
  }
  if (accepted.length < MIN_SUGGESTIONS) {
    throw new AiError({ code: 'badOutput', message: `The ${service.source === 'gemini' ? "model's" : 'offline'} variants failed the template checks (${feedback}); try again or loosen maxLength.` })
  }
  return { ...(audience ? { audience: { count: audience.count } } : {}), source: service.source, suggestions: accepted.map((text) => ({ text })) }
}
