import type { GenerateContentResponse } from '@google/genai'

import { ApiError, GoogleGenAI } from '@google/genai'

import type { AiService, SanitizedAiOptions } from './types.js'

import { ruleTreeJsonSchema } from '../domain/ai/ruleJsonSchema.js'
import {
  SEGMENT_SYSTEM,
  segmentPrompt,
  SUGGESTION_JSON_SCHEMA,
  SUGGESTION_SYSTEM,
  suggestionPrompt,
  SUMMARY_JSON_SCHEMA,
  SUMMARY_SYSTEM,
  summaryPrompt,
} from '../domain/ai/prompts.js'
import { AiError } from './aiError.js'

const RETRYABLE = new Set([429, 500, 502, 503, 504])
// Answers Gemini withholds for policy reasons (FinishReason values).
const BLOCKED_FINISH = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'])

/** `Retry-After` as seconds (a number of seconds or an HTTP date), else undefined. */
export const parseRetryAfter = (header: null | string, now: number = Date.now()): number | undefined => {
  if (!header) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Number(header)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000)
}

/** Gemini's own hint in a 429 body (`google.rpc.RetryInfo`: `"retryDelay": "12s"`). */
const retryInfoSeconds = (message: string): number | undefined => {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message)
  return match ? Number(match[1]) : undefined
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

type Logger = { warn: (obj: object) => void }

type JsonCall = { schema: unknown; system: string; temperature: number; user: string }

/**
 * Gemini through `@google/genai` 2.x. Every call asks for JSON (`responseMimeType` +
 * `responseJsonSchema`), runs under its own timeout, retries 429/5xx itself (the SDK's retries are
 * off) honouring `Retry-After`, and turns safety blocks and unusable answers into `AiError`s.
 */
export const createGeminiAiService = ({ logger, options }: { logger?: Logger; options: SanitizedAiOptions & { apiKey: string } }): AiService => {
  const callOnce = async ({ schema, system, temperature, user }: JsonCall): Promise<{ response: GenerateContentResponse } | { retryAfter?: number; status: number; text: string }> => {
    let retryAfterHeader: null | string = null
    // One client per call, so the Retry-After captured here belongs to this call.
    const client = new GoogleGenAI({
      apiKey: options.apiKey,
      httpOptions: {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          const res = await fetch(input, init)
          retryAfterHeader = res.headers.get('retry-after')
          return res
        },
      },
    })
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), options.timeoutMs)
    try {
      const response = await client.models.generateContent({
        config: { abortSignal: abort.signal, responseJsonSchema: schema, responseMimeType: 'application/json', systemInstruction: system, temperature },
        contents: user,
        model: options.model,
      })
      return { response }
    } catch (err) {
      if (abort.signal.aborted) throw new AiError({ code: 'timeout', message: `Gemini did not answer within ${Math.round(options.timeoutMs / 100) / 10} s; try again.` })
      if (err instanceof ApiError) {
        const retryAfter = parseRetryAfter(retryAfterHeader) ?? retryInfoSeconds(err.message)
        return { retryAfter, status: err.status, text: err.message }
      }
      logger?.warn({ err, msg: 'Gemini unreachable' })
      throw new AiError({ code: 'unavailable', message: 'Could not reach Gemini; try again later.' })
    } finally {
      clearTimeout(timer)
    }
  }

  const generateJson = async (call: JsonCall): Promise<unknown> => {
    let last: { retryAfter?: number; status: number; text: string } | undefined
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      const outcome = await callOnce(call)
      if ('response' in outcome) return readJson(outcome.response)
      last = outcome
      if (!RETRYABLE.has(outcome.status)) break
      const waitMs = outcome.retryAfter !== undefined ? outcome.retryAfter * 1000 : 500 * 2 ** (attempt - 1)
      if (attempt === options.maxAttempts || waitMs > options.maxRetryDelayMs) break
      await sleep(waitMs)
    }
    const status = last?.status ?? 0
    logger?.warn({ msg: `Gemini answered ${status}`, status, text: last?.text.slice(0, 500) })
    if (status === 429) {
      const retryAfterSeconds = Math.max(1, Math.ceil(last?.retryAfter ?? 30))
      throw new AiError({ code: 'rateLimited', message: `Gemini is rate-limiting requests (429); try again in ${retryAfterSeconds} s.`, retryAfterSeconds })
    }
    if (status === 401 || status === 403) throw new AiError({ code: 'unavailable', message: `Gemini refused the request (${status}): check GEMINI_API_KEY.` })
    if (status >= 500) throw new AiError({ code: 'unavailable', message: `Gemini is unavailable (${status}); try again later.` })
    throw new AiError({ code: 'badOutput', message: `Gemini rejected the request (${status}).` })
  }

  const readJson = (response: GenerateContentResponse): unknown => {
    const blockReason = response.promptFeedback?.blockReason
    if (blockReason) throw new AiError({ code: 'safety', message: `Gemini's safety filters blocked the request (${blockReason}); rephrase it.` })
    const candidate = response.candidates?.[0]
    if (!candidate) throw new AiError({ code: 'badOutput', message: 'Gemini returned no answer.' })
    if (candidate.finishReason && BLOCKED_FINISH.has(candidate.finishReason)) {
      throw new AiError({ code: 'safety', message: `Gemini withheld its answer (finishReason ${candidate.finishReason}); rephrase the request.` })
    }
    const text = (candidate.content?.parts ?? []).map((part) => part.text ?? '').join('')
    try {
      return JSON.parse(text) as unknown
    } catch {
      const truncated = candidate.finishReason === 'MAX_TOKENS' ? ' (cut off at the token limit)' : ''
      throw new AiError({ code: 'badOutput', message: `Gemini answered with malformed JSON${truncated}; try again.` })
    }
  }

  return {
    segmentRules: async ({ feedback, text }) => generateJson({ schema: ruleTreeJsonSchema(), system: SEGMENT_SYSTEM, temperature: 0, user: segmentPrompt(text, feedback) }),
    source: 'gemini',
    suggestMessages: async ({ brief, feedback }) => {
      const answer = await generateJson({ schema: SUGGESTION_JSON_SCHEMA, system: SUGGESTION_SYSTEM, temperature: 0.9, user: suggestionPrompt(brief, feedback) })
      return typeof answer === 'object' && answer !== null ? (answer as { suggestions?: unknown }).suggestions : undefined
    },
    summariseCampaign: async ({ facts }) => {
      const answer = await generateJson({ schema: SUMMARY_JSON_SCHEMA, system: SUMMARY_SYSTEM, temperature: 0.2, user: summaryPrompt(facts) })
      const summary = typeof answer === 'object' && answer !== null ? (answer as { summary?: unknown }).summary : undefined
      if (typeof summary !== 'string' || summary.trim() === '') throw new AiError({ code: 'badOutput', message: 'Gemini returned no summary; try again.' })
      return summary.trim().slice(0, 2000)
    },
  }
}
