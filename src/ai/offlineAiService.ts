import type { AiService } from './types.js'

import { offlineCampaignSummary } from '../domain/ai/campaignSummary.js'
import { offlineSuggestions } from '../domain/ai/messageSuggestions.js'
import { parseAudienceText } from '../domain/ai/parseAudienceText.js'
import { AiError } from './aiError.js'

/** The service used without GEMINI_API_KEY: rule-based, deterministic, no network. */
export const createOfflineAiService = (): AiService => ({
  segmentRules: async ({ text }) => {
    const parsed = parseAudienceText(text)
    if (!parsed.ok) throw new AiError({ code: 'notUnderstood', message: parsed.message })
    return parsed.rules
  },
  source: 'offline',
  suggestMessages: async ({ brief }) => offlineSuggestions(brief),
  summariseCampaign: async ({ facts }) => offlineCampaignSummary(facts),
})
