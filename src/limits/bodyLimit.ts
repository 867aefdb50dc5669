import { APIError } from 'payload'

/** Which body limit an endpoint gets; declare it with `defineEndpoint({ bodyLimit })`. */
export type BodyLimitKind = 'ingest' | 'json' | 'upload'

/** Where an endpoint declares its `BodyLimitKind` (on `endpoint.custom`). */
export const BODY_LIMIT_KEY = 'crmBodyLimit'

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`

/** A request body past its limit: a public 413 wherever Payload or `defineEndpoint` maps errors. */
export class BodyTooLargeError extends APIError {
  constructor(maxBytes: number) {
    super(`The request body is larger than this endpoint accepts (${formatBytes(maxBytes)}).`, 413, null, true)
    this.name = 'BodyTooLargeError'
  }
}

/** The 413 answer, in the shared error envelope. */
export const bodyTooLargeResponse = (maxBytes: number): Response =>
  Response.json({ errors: [{ message: new BodyTooLargeError(maxBytes).message }] }, { status: 413 })

export type BodyLimitGuard = {
  /** True once the declared length or the bytes read went past the limit. */
  readonly isExceeded: boolean
}

/** A `Content-Length` past `maxBytes` (a missing or malformed header says nothing). */
export const declaresTooLargeBody = (headers: Headers, maxBytes: number): boolean => {
  const declared = Number(headers.get('content-length') ?? '')
  return Number.isFinite(declared) && declared > maxBytes
}

/**
 * Makes every way of reading `request`'s body (`body`, `text()`, `json()`, `arrayBuffer()`,
 * `formData()`, `blob()`) stop with a `BodyTooLargeError` once more than `maxBytes` arrive, counting
 * while streaming, so a chunked upload without `Content-Length` is cut off too. Payload's request is
 * the Fetch `Request` itself, so own properties shadow its prototype's readers for everyone downstream.
 */
export const limitRequestBody = (request: Request, maxBytes: number): BodyLimitGuard => {
  const state = { isExceeded: declaresTooLargeBody(request.headers, maxBytes) }
  const source = request.body
  if (!source) return state
  let total = 0
  const limited = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        total += chunk.byteLength
        if (total > maxBytes) {
          state.isExceeded = true
          controller.error(new BodyTooLargeError(maxBytes))
          return
        }
        controller.enqueue(chunk)
      },
    }),
  )
  const readAll = async (): Promise<Uint8Array<ArrayBuffer>> => {
    const chunks: Uint8Array[] = []
    let length = 0
    const reader = limited.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      length += value.byteLength
    }
    const bytes = new Uint8Array(length)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
    return bytes
  }
  const text = async () => new TextDecoder().decode(await readAll())
  // formData needs the multipart parser of a Response; give it the limited stream and keep the error ours.
  const viaResponse = async <T>(read: (response: Response) => Promise<T>): Promise<T> => {
    try {
      return await read(new Response(limited, { headers: { 'content-type': request.headers.get('content-type') ?? '' } }))
    } catch (err) {
      throw state.isExceeded ? new BodyTooLargeError(maxBytes) : err
    }
  }
  // Writable: Payload replaces `req.json` once it has parsed the body.
  const method = <T>(value: T) => ({ configurable: true, value, writable: true })
  Object.defineProperties(request, {
    arrayBuffer: method(async () => (await readAll()).buffer),
    blob: method(async () => new Blob([await readAll()])),
    body: { configurable: true, get: () => limited },
    formData: method(() => viaResponse((response) => response.formData())),
    json: method(async () => JSON.parse(await text()) as unknown),
    text: method(text),
  })
  return state
}
