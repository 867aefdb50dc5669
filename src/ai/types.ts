import type { CampaignFacts, MessageBrief } from '../domain/ai/types.js'

export type AiSource = 'gemini' | 'offline'

/**
 * The one door to a language model. Answers are raw (unchecked): the operations validate them
 * (template validator, rule schema) and may ask once more with `feedback` naming the problems.
 * Failures are thrown as `AiError`.
 */
export type AiService = {
  /** A rule tree for a plain-English audience description (any JSON; validated by the caller). */
  segmentRules: (args: { feedback?: string; text: string }) => Promise<unknown>
  source: AiSource
  /** Message variants (any JSON; the caller keeps the ones that pass `checkSuggestions`). */
  suggestMessages: (args: { brief: MessageBrief; feedback?: string }) => Promise<unknown>
  /** A short plain-text summary of a finished campaign. */
  summariseCampaign: (args: { facts: CampaignFacts }) => Promise<string>
}

/** Settings of the AI features (`crmPlugin({ ai })`; the app reads them from GEMINI_* variables). */
export type CrmAiOptions = {
  /** GEMINI_API_KEY. Unset → the deterministic offline service answers (`source: "offline"`). */
  apiKey?: string
  /** GEMINI_BASE_URL: another endpoint for the Gemini API (tests point it at a local fake). */
  baseUrl?: string
  /**
   * Attempts per model call when Gemini answers 429 or 5xx (honouring `Retry-After`).
   * @default 3
   */
  maxAttempts?: number
  /**
   * Longest wait before a retry; a longer `Retry-After` ends the call with a 503 carrying it.
   * @default 10000
   */
  maxRetryDelayMs?: number
  /**
   * GEMINI_MODEL.
   * @default 'gemini-2.5-flash'
   */
  model?: string
  /**
   * AI requests one user may make per minute (all AI endpoints together); past it → 429 with Retry-After.
   * @default 20
   */
  rateLimitPerMinute?: number
  /**
   * GEMINI_TIMEOUT_MS: how long one model call may take.
   * @default 20000
   */
  timeoutMs?: number
}

export type SanitizedAiOptions = Required<Omit<CrmAiOptions, 'apiKey' | 'baseUrl'>> & Pick<CrmAiOptions, 'apiKey' | 'baseUrl'>

export const DEFAULT_AI_OPTIONS: SanitizedAiOptions = {
  maxAttempts: 3,
  maxRetryDelayMs: 10_000,
  model: 'gemini-2.5-flash',
  rateLimitPerMinute: 20,
  timeoutMs: 20_000,
}
