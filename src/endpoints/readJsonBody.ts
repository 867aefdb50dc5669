import type { PayloadRequest } from 'payload'

export type JsonBodyResult = { isEmpty: boolean; ok: true; value: unknown } | { message: string; ok: false }

const isJsonMediaType = (mediaType: string): boolean => mediaType === 'application/json' || mediaType.endsWith('+json')

/**
 * Reads a JSON request body. Custom Payload endpoints get the raw Request (Payload parses bodies only
 * for its own endpoints), so this is the one place that decides what counts as JSON. A body Payload
 * already parsed (`req.data`, e.g. after a method-override POST) is reused: the stream is gone by then.
 */
export const readJsonBody = async (req: PayloadRequest): Promise<JsonBodyResult> => {
  if (req.data !== undefined) return { isEmpty: false, ok: true, value: req.data }
  const contentType = req.headers.get('content-type')
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (contentType && !isJsonMediaType(mediaType)) {
    return { message: `Expected a JSON body (Content-Type: application/json), got "${mediaType}"`, ok: false }
  }
  const text = typeof req.text === 'function' ? await req.text() : ''
  if (text.trim() === '') return { isEmpty: true, ok: true, value: undefined }
  if (!contentType) return { message: 'Expected a JSON body: set Content-Type: application/json', ok: false }
  try {
    const value: unknown = JSON.parse(text)
    return { isEmpty: false, ok: true, value }
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : 'unreadable'
    return { message: `Malformed JSON body: ${reason}`, ok: false }
  }
}
