import type { AiService, SanitizedAiOptions } from './types.js'

import { createGeminiAiService } from './geminiAiService.js'
import { createOfflineAiService } from './offlineAiService.js'

/** Gemini when an API key is configured, else the offline service. */
export const createAiService = ({ logger, options }: { logger?: { warn: (obj: object) => void }; options: SanitizedAiOptions }): AiService =>
  options.apiKey ? createGeminiAiService({ logger, options: { ...options, apiKey: options.apiKey } }) : createOfflineAiService()
